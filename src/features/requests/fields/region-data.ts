// The region catalogue on the page: loaded with a dynamic import, so only forms that ask for a
// region pay for it, and only once. Until it is there the form shows no region verdicts and does
// not send, since the server checks codes against the same catalogue.
import { useEffect, useMemo, useState } from 'react';
import type { FieldDef, FormDef } from '../../../../core/forms/definition.ts';
import { todayInWib, type RegionDirectory, type ValidationContext } from '../../../../core/forms/context.ts';
import { db } from '../../../db/open-db.ts';
import { serverToday } from '../../../db/server-clock.ts';

let loading: Promise<RegionDirectory> | undefined;
let loaded: RegionDirectory | undefined;

export function loadRegions(): Promise<RegionDirectory> {
  loading ??= import('../../../../core/forms/full-context.ts').then((m) => {
    loaded = m.REGIONS;
    return m.REGIONS;
  });
  return loading;
}

function usesRegions(fields: readonly FieldDef[]): boolean {
  return fields.some((f) => f.type === 'region' || f.type === 'island' || (f.fields !== undefined && usesRegions(f.fields)));
}

export function formUsesRegions(form: FormDef): boolean {
  return usesRegions(form.fields);
}

/** The catalogue once loaded; undefined while loading, or when the form needs none. */
export function useRegions(needed: boolean): RegionDirectory | undefined {
  const [regions, setRegions] = useState<RegionDirectory | undefined>(loaded);
  useEffect(() => {
    if (!needed || regions) return;
    let live = true;
    // A failed chunk load (offline before the worker cached it) leaves the form waiting; the
    // next visit tries again.
    loadRegions().then(
      (r) => live && setRegions(r),
      () => {
        loading = undefined;
      },
    );
    return () => {
      live = false;
    };
  }, [needed, regions]);
  return needed ? regions : undefined;
}

export interface PageContext {
  context: ValidationContext;
  regions: RegionDirectory | undefined;
  /** False while a form with region fields still waits for the catalogue. */
  ready: boolean;
}

/**
 * Today by the server's clock, as the last sync learnt it (src/db/server-clock.ts): a phone whose
 * clock runs ahead is told beside the date field, before sealing, that a date the server would
 * refuse as future is in the future (date_future).
 */
function useServerToday(): string {
  const [today, setToday] = useState(() => todayInWib());
  useEffect(() => {
    let live = true;
    void serverToday(db).then((t) => live && setToday(t));
    return () => {
      live = false;
    };
  }, []);
  return today;
}

/** The context the page validates with: the server's, once the catalogue is there. */
export function useValidationContext(form: FormDef): PageContext {
  const needed = formUsesRegions(form);
  const regions = useRegions(needed);
  const today = useServerToday();
  return useMemo(
    () => ({ context: regions ? { regions, today } : { today }, regions, ready: !needed || regions !== undefined }),
    [regions, today, needed],
  );
}
