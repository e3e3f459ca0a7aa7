/**
 * The plan cache: prepared operations by document text and operation name, bounded by count
 * and by an estimate of bytes (least recently used goes first). A document object is printed once (the pipeline hands over the
 * same object for a repeated query from its own document cache), and that printed text is
 * what the planner plans and what the cache is keyed by.
 */
import { print, type DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { PreparedOperation } from './operation.js';

/**
 * The bytes a document's prepared operations are estimated to hold: its text, the operation
 * and fragments it keeps, the fetches' documents and the compiled selections are each about
 * the text's size or a few times it (measured on the benchmark's plans: 10-20 times the text).
 */
export function planBytes(text: string): number {
  return 24 * text.length + 1024;
}

/** Prepared operations of at most `max` distinct documents and about `maxBytes` bytes. */
export class PlanCache {
  private readonly texts = new WeakMap<DocumentNode, string>();
  private readonly documents: LRUCache<string, Map<string, PreparedOperation>>;

  constructor(max: number, maxBytes?: number) {
    this.documents = new LRUCache<string, Map<string, PreparedOperation>>({
      max,
      ...(maxBytes === undefined ? {} : { maxSize: maxBytes, sizeCalculation: (_operations, text) => Math.min(planBytes(text), maxBytes) }),
    });
  }

  /** The prepared `operationName` of `document`, made by `prepare` on a miss. */
  get(document: DocumentNode, operationName: string | undefined, prepare: (text: string) => PreparedOperation): PreparedOperation {
    let text = this.texts.get(document);
    if (text === undefined) {
      text = print(document);
      this.texts.set(document, text);
    }
    let operations = this.documents.get(text);
    if (operations === undefined) {
      operations = new Map();
      this.documents.set(text, operations);
    }
    const name = operationName ?? '';
    let prepared = operations.get(name);
    if (prepared === undefined) {
      prepared = prepare(text);
      operations.set(name, prepared);
    }
    return prepared;
  }

  /** Number of documents held. */
  get size(): number {
    return this.documents.size;
  }

  /** Estimated bytes held (0 without a byte bound). */
  get bytes(): number {
    return this.documents.calculatedSize ?? 0;
  }
}
