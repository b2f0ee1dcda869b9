import { useEffect, useState } from 'preact/hooks';
import type { Endpoints } from '../api/endpoints';
import { useApp } from '../context';
import { can } from '../permissions';

const names = new Map<string, Promise<string>>();

function nameOf(api: Endpoints, id: string): Promise<string> {
  let name = names.get(id);
  if (!name) {
    // A principal the viewer may not read is shown by its id.
    name = api.principals.get(id).then(
      (p) => `${p.displayName} (@${p.handle})`,
      () => id,
    );
    names.set(id, name);
  }
  return name;
}

/**
 * A principal's display name and handle, fetched once per page load. Roles that may not read other principals
 * (readers, agents) see the id instead of provoking a 403 (and an audited denial) per author.
 */
export function Author({ id }: { id: string }) {
  const { api, session } = useApp();
  const [name, setName] = useState<string>(id);
  const readable = session?.principal.id === id || can(session?.principal.role, 'readPrincipals');
  useEffect(() => {
    if (!readable) {
      return undefined;
    }
    let live = true;
    void nameOf(api, id).then((n) => live && setName(n));
    return () => {
      live = false;
    };
  }, [id, readable]);
  return <span class="author">{name}</span>;
}
