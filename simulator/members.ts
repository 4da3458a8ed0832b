/**
 * Project memberships as changes: a person joins or leaves a project. /projects/:id/people.json
 * and the project's `people.team` follow at once (both are built from Project.members); whether
 * the project's updated_at moves and whether the timeline records a project_access_changed event
 * the docs do not say, so each is a reading (see Readings in routes.ts).
 */
import { Person, Project, TimelineEvent } from './model';
import type { Readings } from './routes';
import { Store } from './store';

export type MembershipReadings = Pick<Readings, 'membershipTouchesProject' | 'membershipInTimeline'>;
export type AccessChange = TimelineEvent['access'];

/** Why `change` cannot be made (the person already is / is not a member), or null when it can. */
export function membershipRefusal(pr: Project, person: Person, change: AccessChange): string | null {
  const member = pr.members.includes(person);
  if (change === 'granted' && member) return `simulator: person ${person.id} already is a member of project ${pr.id}`;
  if (change === 'removed' && !member) return `simulator: person ${person.id} is not a member of project ${pr.id}`;
  return null;
}

/**
 * Applies a membership change made at `now` (see membershipRefusal for when it cannot be).
 * The change is made by the account's owner, as the generated access events are.
 */
export function changeMembership(st: Store, readings: MembershipReadings, pr: Project, person: Person, change: AccessChange, now: number): void {
  const refusal = membershipRefusal(pr, person, change);
  if (refusal) throw new Error(refusal);
  if (change === 'granted') pr.members.push(person);
  else pr.members.splice(pr.members.indexOf(person), 1);
  if (readings.membershipTouchesProject) pr.updated = now;
  if (readings.membershipInTimeline) {
    st.addEvent(new TimelineEvent(st.id('event'), pr, 'project_access_changed', now, st.people[0] ?? person, null, person, change));
  }
}
