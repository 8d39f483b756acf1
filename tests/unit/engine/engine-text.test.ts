// The words for the engines' gaps: the phrases the issue asks for, in Indonesian first, and an
// English text for every one.
import { describe, expect, it } from 'vitest';
import { ENGINE_TEXT } from '../../../src/features/requests/engine-text.ts';

function textsIn(lang: 'id' | 'en') {
  return (key: keyof typeof ENGINE_TEXT.id) => ENGINE_TEXT[lang][key];
}

describe('engine gap texts', () => {
  it('Indonesian: open again, the QR/SMS paths, the home-screen steps and why, the safety copy', () => {
    const et = textsIn('id');
    expect(et('queuedOpenAgain')).toContain('Buka Jangkau lagi saat ada sinyal');
    // It must not promise what the engine cannot do.
    expect(et('queuedOpenAgain')).not.toMatch(/otomatis|boleh menutup/);
    expect(et('openAgainPaths')).toMatch(/QR/);
    expect(et('openAgainPaths')).toMatch(/SMS/);
    expect(et('homeScreenSteps')).toContain('Bagikan');
    expect(et('homeScreenSteps')).toContain('Tambahkan ke Layar Utama');
    expect(et('homeScreenWhy')).toMatch(/antrean/);
    expect(et('storageAtRisk')).toMatch(/cadangan/);
    expect(et('storageSaveCopy')).toBe('Simpan cadangan');
  });

  it('English has its own text for each', () => {
    const id = textsIn('id');
    const en = textsIn('en');
    for (const key of ['queuedOpenAgain', 'openAgainPaths', 'homeScreenTitle', 'homeScreenSteps', 'homeScreenWhy', 'storageAtRisk', 'storageSaveCopy', 'storageUnderstood'] as const) {
      expect(en(key).length).toBeGreaterThan(0);
      expect(en(key)).not.toBe(id(key));
    }
    expect(en('homeScreenSteps')).toContain('Add to Home Screen');
  });
});
