// An object URL for a stored preview (a photo's thumbnail), revoked when it changes or its
// screen goes.
import { useEffect, useState } from 'react';
import { openStoredFile, type StoredFile } from '../../db/crypto-at-rest.ts';

export function usePreviewUrl(thumb: StoredFile | undefined): string | undefined {
  const [url, setUrl] = useState<string | undefined>();
  useEffect(() => {
    // An officer's previews are sealed at rest; the screens showing them exist only while unlocked.
    const opened = openStoredFile(thumb);
    if (!opened) {
      setUrl(undefined);
      return;
    }
    const made = URL.createObjectURL(opened);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [thumb]);
  return url;
}
