// The cached channel settings for a screen: what was kept at once, then a refresh when online.
import { useEffect, useState } from 'react';
import { readChannelSettings, refreshChannelSettings, type ChannelSettings } from '../../db/channel-settings.ts';

function storage(): Pick<Storage, 'getItem' | 'setItem'> | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

export function useChannelSettings(): ChannelSettings | undefined {
  const [settings, setSettings] = useState(() => {
    const s = storage();
    return s ? readChannelSettings(s) : undefined;
  });
  useEffect(() => {
    const s = storage();
    if (!s || !navigator.onLine) return;
    let live = true;
    void refreshChannelSettings((input, init) => fetch(input, init), s).then((fresh) => {
      if (live && fresh) setSettings(fresh);
    });
    return () => {
      live = false;
    };
  }, []);
  return settings;
}
