interface Props {
  /** HTML that core-server rendered from markdown and sanitized (a `bodyHtml` field or a preview answer). */
  html: string;
  class?: string;
}

/**
 * The only place the UI inserts HTML. It must only ever receive the server's sanitized rendering, never
 * user input: titles, names and snippets are rendered as text everywhere else.
 */
export function ServerHtml({ html, class: className }: Props) {
  return <div class={`markdown ${className ?? ''}`} dangerouslySetInnerHTML={{ __html: html }} />;
}
