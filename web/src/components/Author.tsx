import { useEffect, useState } from 'preact/hooks';
import type { Endpoints } from '../api/endpoints';
import { useApp } from '../context';

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

/** A principal's display name and handle, fetched once per page load. */
export function Author({ id }: { id: string }) {
  const { api } = useApp();
  const [name, setName] = useState<string>(id);
  useEffect(() => {
    let live = true;
    void nameOf(api, id).then((n) => live && setName(n));
    return () => {
      live = false;
    };
  }, [id]);
  return <span class="author">{name}</span>;
}
