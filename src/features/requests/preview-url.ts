// An object URL for a stored preview (a photo's thumbnail), revoked when it changes or its
// screen goes.
import { useEffect, useState } from 'react';

export function usePreviewUrl(thumb: Blob | undefined): string | undefined {
  const [url, setUrl] = useState<string | undefined>();
  useEffect(() => {
    if (!thumb) {
      setUrl(undefined);
      return;
    }
    const made = URL.createObjectURL(thumb);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [thumb]);
  return url;
}
