// The words around a form's first-run tips, in the form screen's chunk (the tips themselves come
// from core/forms/form-tips.ts).
import { chunkText } from '../../i18n/chunk-text.ts';

const id = {
  tipsOpen: 'Petunjuk',
  tipsHeading: 'Petunjuk formulir ({step} dari {steps})',
  tipsPrevious: 'Sebelumnya',
  tipsNext: 'Berikutnya',
  tipsDone: 'Selesai',
  tipsClose: 'Tutup petunjuk',
};

export type TipsKey = keyof typeof id;

const en: Record<TipsKey, string> = {
  tipsOpen: 'Guide',
  tipsHeading: 'Form guide ({step} of {steps})',
  tipsPrevious: 'Previous',
  tipsNext: 'Next',
  tipsDone: 'Done',
  tipsClose: 'Close the guide',
};

export const useTipsText = chunkText<TipsKey>({ id, en });
