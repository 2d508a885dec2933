/** What `verify` and `merge` require of a proof (stages.yaml `proofs.trust`). */
export const TRUST_LEVELS = ['checksum', 'signed', 'remeasured'] as const;
export type TrustLevel = (typeof TRUST_LEVELS)[number];

export interface ProofSettings {
  trust: TrustLevel;
  /** git's allowed-signers file (ssh), relative to the workspace root; needed by `signed`. */
  allowedSigners?: string;
}

export const DEFAULT_PROOF_SETTINGS: ProofSettings = { trust: 'checksum' };

/** `proofs:` of stages.yaml; every problem as a message and the fix. */
export function readProofSettings(value: unknown): { settings: ProofSettings; problems: { message: string; hint: string }[] } {
  const problems: { message: string; hint: string }[] = [];
  const settings: ProofSettings = { ...DEFAULT_PROOF_SETTINGS };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { settings, problems: [{ message: '"proofs" must be a mapping', hint: 'e.g. proofs: { trust: signed, allowedSigners: .nx-stages/allowed_signers }' }] };
  }
  for (const [key, entry] of Object.entries(value)) {
    if (key === 'trust') {
      if (TRUST_LEVELS.includes(entry as TrustLevel)) settings.trust = entry as TrustLevel;
      else problems.push({ message: `proofs.trust is ${JSON.stringify(entry)}`, hint: `use one of ${TRUST_LEVELS.join(', ')}` });
    } else if (key === 'allowedSigners') {
      if (typeof entry === 'string' && entry.trim() && !entry.startsWith('/') && !entry.split(/[\\/]/).includes('..')) settings.allowedSigners = entry;
      else problems.push({ message: `proofs.allowedSigners is ${JSON.stringify(entry)}`, hint: 'give a path inside the workspace, e.g. .nx-stages/allowed_signers' });
    } else {
      problems.push({ message: `proofs has an unknown option "${key}"`, hint: 'known options: trust, allowedSigners' });
    }
  }
  if (settings.trust === 'signed' && !settings.allowedSigners) {
    problems.push({
      message: 'proofs.trust is signed but proofs.allowedSigners is not set',
      hint: "name git's allowed-signers file, e.g. allowedSigners: .nx-stages/allowed_signers",
    });
  }
  return { settings, problems };
}
