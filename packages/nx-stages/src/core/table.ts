/** A plain-text table with aligned columns, for terminals (no colours, so it pipes cleanly). */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((header, column) => Math.max(width(header), ...rows.map((row) => width(row[column] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell + ' '.repeat(widths[column] - width(cell)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)];
}

/** Display width: code points, so names like "données" align (wide CJK glyphs are rare here). */
function width(text: string): number {
  return [...text].length;
}
