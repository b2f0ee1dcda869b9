import type { Principal } from '../api/types';
import { useApp, useSession } from '../context';
import { useLoad } from '../hooks';
import { can } from '../permissions';

/**
 * Who a task can be assigned to: the principals the viewer may list (first 100, enabled ones), or just the viewer
 * for roles that may not read other principals.
 */
export function usePeople(): Principal[] {
  const { api } = useApp();
  const session = useSession();
  const me = session.principal;
  const mayList = can(me.role, 'readPrincipals');
  const [people] = useLoad(async (signal) => (mayList ? (await api.principals.list(undefined, signal)).items : [me]), [me.id, mayList]);
  if (people.state !== 'loaded') {
    return [me];
  }
  const enabled = people.value.filter((p) => !p.disabled && p.role !== 'reader');
  return enabled.some((p) => p.id === me.id) ? enabled : [me, ...enabled];
}
