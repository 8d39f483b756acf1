// "Pindai titipan" for officers (lazily loaded): the scanner, then what this phone carries and
// whether each has reached the province. A complete scan is stored at once and a sync is asked
// for; the delivery runs after it (src/sync/handoff-delivery.ts) whenever there is signal. Only a
// logged-in officer's phone scans: the items are delivered under the officer's device token, and
// a phone with no session (or a refused one) would keep them without anyone answerable for them.
import { Button } from '../../app/button.tsx';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { formatReceipt } from '../../../core/ids.ts';
import { href } from '../../app/router.ts';
import { useSync } from '../../app/sync-client.ts';
import { useOfficer } from '../../auth/officer-store.ts';
import { addCarried, listCarried } from '../../db/handoffs.ts';
import { db } from '../../db/open-db.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { useHandoffText } from './handoff-text.ts';
import { ScanHandoff } from './scan-handoff.tsx';

export function CarriedScreen() {
  const { dateTime } = useI18n();
  const t = useHandoffText();
  const afterQueued = useSync((s) => s.afterQueued);
  const carried = useLiveQuery(() => listCarried(db), []);
  const [round, setRound] = useState(0);
  const [scanned, setScanned] = useState(false);
  const session = useOfficer((s) => s.session);
  const mayCarry = session !== undefined && !session.needsRelogin;

  return (
    <article>
      <h1>{t('carriedScreenHeading')}</h1>
      {mayCarry ? (
        <ScanHandoff
          key={round}
          onComplete={async (bundle, id) => {
            await addCarried(db, id, bundle);
            setScanned(true);
            afterQueued();
          }}
        />
      ) : (
        <p className="notice bad" role="alert" data-testid="carry-needs-officer">
          {t(session ? 'carryRelogin' : 'carryLoginFirst')} <a href={href({ name: 'officer' })}>{t('carryLoginLink')}</a>
        </p>
      )}
      {scanned && (
        <div className="actions">
          <Button
           
            onClick={() => {
              setScanned(false);
              setRound((r) => r + 1);
            }}
          >
            {t('scanAnother')}
          </Button>
        </div>
      )}
      <section aria-labelledby="carried-heading">
        <h2 id="carried-heading">{t('carriedHeading')}</h2>
        <p className="meta">{t('carriedIntro')}</p>
        {carried && carried.length === 0 && <p>{t('carriedNone')}</p>}
        <ul className="list" data-testid="carried-list">
          {[...(carried ?? [])].reverse().map((item) => (
            <li key={item.id} data-carried={item.id} data-state={item.state}>
              <span className="receipt">{formatReceipt(item.id)}</span>
              <br />
              <span className="badge" data-state={item.state}>
                {t(`carried_${item.state}`)}
              </span>{' '}
              <span className="meta">{dateTime(item.deliveredAt ?? item.scannedAt)}</span>
            </li>
          ))}
        </ul>
      </section>
    </article>
  );
}
