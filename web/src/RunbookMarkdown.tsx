/** A runbook's Markdown as HTML. Loaded lazily (react-markdown is large); raw HTML in the file is dropped, never rendered. */
import Markdown from 'react-markdown';

export default function RunbookMarkdown(props: { readonly markdown: string }) {
  return (
    <div className="markdown">
      <Markdown skipHtml>{props.markdown}</Markdown>
    </div>
  );
}
