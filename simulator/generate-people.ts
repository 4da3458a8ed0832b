/**
 * The account's people: the owner first, staff (Users), a Client every sixth, and last an
 * Outsider and the "Basecamp" DummyUser. Draws from the generator's PRNG in a fixed order, so
 * the same seed gives the same people.
 */
import { Person } from './model';
import { Rng } from './rng';
import { Store } from './store';
import * as T from './text';

const DAY = 86_400_000;
type Company = { id: number; name: string };
type PersonType = Person['personableType'];

export interface People {
  clientPeople: Person[];
  staff: Person[];
}

/** Letters only, accents dropped: the local part and domain of a generated email address. */
function ascii(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/** The i-th of n people's type: the last is the DummyUser, the one before an Outsider. */
export function personType(i: number, n: number): PersonType {
  if (i === n - 1) return 'DummyUser';
  if (i === n - 2) return 'Outsider';
  if (i > 0 && i % 6 === 3) return 'Client';
  return 'User';
}

/** The shown name and email: the DummyUser has none; an Outsider shows its email as its name. */
function nameAndEmail(full: string, type: PersonType, company: Company | null, i: number, emails: Set<string>): { name: string; email: string | null } {
  if (type === 'DummyUser') return { name: 'Basecamp', email: null };
  const parts = full.split(' ');
  let local = `${ascii(parts[0] ?? 'x')}.${ascii(parts[1] ?? 'y')}`;
  if (emails.has(local)) local += i;
  emails.add(local);
  const domain = company ? `${ascii(company.name)}.example.com` : 'honchodesign.example.com';
  const email = `${local}@${domain}`;
  return { name: type === 'Outsider' ? email : full, email };
}

class PeopleMaker {
  private emails = new Set<string>();
  private honcho: Company;
  private clientCos: Company[];

  constructor(
    private st: Store,
    private rng: Rng,
    private n: number,
    private accountCreated: number,
  ) {
    this.honcho = { id: st.id('company'), name: T.COMPANIES[0] };
    this.clientCos = T.COMPANIES.slice(1).map((name) => ({ id: st.id('company'), name }));
  }

  person(i: number): Person {
    const { st, rng } = this;
    const seed = rng.u32();
    const created = i === 0 ? this.accountCreated : this.accountCreated + rng.int(0, 600) * DAY + rng.int(0, DAY);
    const type = personType(i, this.n);
    const user = type === 'User';
    const company = type === 'Client' ? rng.pick(this.clientCos) : null;
    const { name, email } = nameAndEmail(T.personName(seed), type, company, i, this.emails);
    const employee = user && (i === 0 || rng.chance(0.5));
    const p = new Person(
      st.id('person'),
      seed,
      name,
      email,
      type,
      user || type === 'Client', // DummyUser/Outsider have a null title
      type !== 'DummyUser' && rng.chance(0.5),
      user && rng.chance(0.4),
      created,
      i === 0 || (user && rng.chance(0.1)),
      i === 0,
      employee,
      user ? rng.pick(T.TIME_ZONES.slice(0, 4)) : 'Etc/UTC',
      employee ? this.honcho : company,
    );
    if (rng.chance(0.3)) p.updated = created + rng.int(1, 30) * DAY + rng.int(0, 1000);
    return p;
  }
}

/** Adds n people to the store; returns the clients and the staff among them. */
export function generatePeople(st: Store, rng: Rng, n: number, accountCreated: number): People {
  const maker = new PeopleMaker(st, rng, n, accountCreated);
  const out: People = { clientPeople: [], staff: [] };
  for (let i = 0; i < n; i++) {
    const p = maker.person(i);
    st.addPerson(p);
    if (p.personableType === 'Client') out.clientPeople.push(p);
    else if (p.personableType === 'User') out.staff.push(p);
  }
  return out;
}
