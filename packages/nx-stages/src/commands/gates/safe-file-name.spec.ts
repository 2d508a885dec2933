import { safeFileName } from './safe-file-name';

describe('safeFileName (gate names come from stages.yaml keys)', () => {
  it.each([
    ['test', 'test'],
    ['../x', '__x'],
    ['$(touch pwned)', '__touch_pwned_'],
    ['e2e tests', 'e2e_tests'],
    ['..', '_'],
    ['données', 'donn_es'],
  ])('%s → %s, a name inside the reports folder', (name, file) => {
    expect(safeFileName(name)).toBe(file);
    expect(safeFileName(name)).not.toMatch(/[/\\]|^\.\.?$/);
  });
});
