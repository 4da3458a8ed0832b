/**
 * The CLI's modes other than a sync: --about, --discover and --test, and what they share with a
 * sync: the config the flags name and the product the account is.
 */
import { about, aboutMarkdown } from '../about';
import { discover } from '../catalog';
import { BasecampClient } from '../client';
import { CONFIG_FROM_ENV, Config, ENV_PREFIX, loadConfig } from '../config';
import { TapError, accountError } from '../errors';
import { Logger } from '../log';
import { PRODUCTS, Product, productOf } from '../products';
import { Args } from './args';
import { version } from './version';

/** `--test` answers within this long, whatever the network does. */
const TEST_DEADLINE_MS = 30_000;

export function aboutMode(args: Args): number {
  process.stdout.write(args.format === 'markdown' ? aboutMarkdown(version()) : JSON.stringify(about(version()), null, 2) + '\n');
  return 0;
}

/** The config the flags (and TAP_BASECAMP_* variables) give; the log takes its format and account from it. */
export function configFor(args: Args, log: Logger): Config {
  const configPaths = args.config ?? [];
  const fromEnv = Object.keys(process.env).some((k) => k.startsWith(ENV_PREFIX));
  if (configPaths.length === 0 && !fromEnv) throw new TapError('--config CONFIG is required (or TAP_BASECAMP_* environment variables)');
  if (configPaths.every((p) => p === CONFIG_FROM_ENV) && configPaths.length > 0 && !fromEnv) {
    throw new TapError(`--config ${CONFIG_FROM_ENV} reads the settings from TAP_BASECAMP_* environment variables, and none is set`);
  }
  const config = loadConfig(configPaths, process.env, (m) => log.warn(m));
  log.setFormat(config.log_format);
  log.setAccount(config.account_id);
  return config;
}

/** The product basecamp_product names, if it names one. */
export function knownProduct(config: Config): Product | undefined {
  return config.basecamp_product ? PRODUCTS[config.basecamp_product] : undefined;
}

/** --discover: the catalog of every stream of the account's product (Launchpad says which, unless the config does). */
export async function discoverMode(config: Config, log: Logger): Promise<number> {
  const product = knownProduct(config) ?? (await productFor(config, new BasecampClient(config, log), log));
  process.stdout.write(JSON.stringify(discover(product, config.add_account_id), null, 2) + '\n');
  return 0;
}

/** --test: refresh the token and read one page of projects. */
export async function testMode(config: Config, log: Logger): Promise<number> {
  // An answer within TEST_DEADLINE_MS whatever the network does: one retry, short timeouts.
  const testConfig = { ...config, max_retries: Math.min(config.max_retries, 1), request_timeout_seconds: Math.min(config.request_timeout_seconds, 10) };
  const testClient = new BasecampClient(testConfig, log, { api: knownProduct(config)?.api });
  const check = async () => {
    await testClient.refreshToken();
    const product = await productFor(config, testClient);
    for await (const _ of testClient.collection(product.api.probePath)) break;
    return product;
  };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new TapError(`no answer from ${new URL(testClient.accountBase).host} within ${TEST_DEADLINE_MS / 1000} s`)),
      TEST_DEADLINE_MS,
    );
  });
  let product: Product;
  try {
    product = await Promise.race([check(), deadline]);
  } catch (err) {
    throw accountError(config.account_id, err) ?? err;
  } finally {
    clearTimeout(timer);
  }
  const how = config.basecamp_product ? '' : ' (Launchpad says)';
  log.info(`OK: token refreshed and projects of ${product.title} account ${config.account_id}${how} readable`);
  return 0;
}

/**
 * The product the account is: the config's basecamp_product, or else what Launchpad lists for
 * it. The client reads that product's API from then on (its root, paging and rate).
 */
export async function productFor(config: Config, client: BasecampClient, log?: Logger): Promise<Product> {
  let product = knownProduct(config);
  if (!product) {
    product = productOf(config.account_id, await client.launchpadAccounts());
    log?.info(`account ${config.account_id} is a ${product.title} account (Launchpad); set basecamp_product to ${product.id} to skip asking`);
  }
  client.useApi(product.api, config);
  return product;
}
