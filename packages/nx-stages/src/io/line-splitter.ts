import { StringDecoder } from 'node:string_decoder';

export interface LineSplitter {
  /** Some output as it came: any number of lines, perhaps cut inside a line or a character. */
  push(chunk: Buffer): void;
  /** The output ended: a last line without a newline is delivered too. */
  end(): void;
}

/**
 * Complete lines from a stream of chunks. A decoder keeps a UTF-8 character cut between two
 * chunks whole; a `\r` before the newline (Windows tools, progress bars) is dropped.
 */
export function splitLines(onLine: (line: string) => void): LineSplitter {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  const deliver = (text: string) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  };
  return {
    push: (chunk) => deliver(decoder.write(chunk)),
    end() {
      deliver(decoder.end());
      if (partial !== '') onLine(partial);
      partial = '';
    },
  };
}
