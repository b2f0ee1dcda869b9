// Document ids on the sync hub (the documents helper's contract): one document per editable body.

export function threadDocument(threadId: string): string {
  return `thread:${threadId}`;
}

export function draftDocument(draftId: string): string {
  return `draft:${draftId}`;
}

/** A proposed artifact version's body; canon and superseded versions are read-only on the server. */
export function artifactVersionDocument(artifactId: string, version: number): string {
  return `artifact:${artifactId}:${version}`;
}
