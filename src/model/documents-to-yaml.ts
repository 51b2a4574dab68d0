import { Document } from 'yaml';
import type { ModelDocumentInput } from './schema.ts';

/** Model documents as one multi-document YAML text, with a comment heading the first document. */
export function documentsToYaml(documents: readonly ModelDocumentInput[], heading?: string): string {
  return documents
    .map((document, index) => {
      const yaml = new Document(document);
      if (index === 0 && heading) yaml.commentBefore = ` ${heading}`;
      return yaml.toString({ lineWidth: 0 });
    })
    .join('---\n');
}
