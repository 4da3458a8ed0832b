/** What the simulator's own tests share when they talk to it over HTTP. */
import { Simulator } from '../../simulator';

/** A fresh access token from the simulator's Launchpad (refresh grant). */
export async function tokenFor(sim: Simulator): Promise<string> {
  const res = await fetch(sim.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: sim.clientId,
      client_secret: sim.clientSecret,
      refresh_token: sim.refreshToken,
    }).toString(),
  });
  return ((await res.json()) as Record<string, unknown>).access_token as string;
}
