/** A name (a gate, an Nx task id) as a file name: it comes from stages.yaml or Nx and must not reach outside its folder. */
export function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || 'gate';
}
