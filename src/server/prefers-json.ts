/**
 * Content negotiation for routes whose default is text: true when the Accept header ranks
 * application/json above text/plain (RFC 9110 quality values; wildcards keep the default).
 */
export function prefersJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const json = qualityOf(accept, 'application/json');
  const text = qualityOf(accept, 'text/plain');
  return json > 0 && json > text;
}

function qualityOf(accept: string, mediaType: string): number {
  let quality = 0;
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    if (type !== mediaType) continue;
    const q = params.find((param) => param.startsWith('q='));
    quality = Math.max(quality, q === undefined ? 1 : Number(q.slice(2)) || 0);
  }
  return quality;
}
