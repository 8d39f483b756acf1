// Every officer screen behind one lazy import from the shell, so the resident's first load carries
// a single loader for all of them.
import { AccountsScreen } from './accounts-screen.tsx';
import { ConflictsScreen } from './conflicts-screen.tsx';
import { DuplicatesScreen } from './duplicates-screen.tsx';
import { FieldWorkScreen } from './field-work-screen.tsx';
import { InboxRequestScreen } from './inbox-request-screen.tsx';
import { InboxScreen } from './inbox-screen.tsx';
import { OfficerScreen } from './officer-screen.tsx';
import { PinSetupScreen, UnlockScreen } from './pin-screens.tsx';
import { RecapScreen } from './recap-screen.tsx';
import { RegisterScreen } from './register-screen.tsx';
import { SopScreen } from './sop-screen.tsx';

export type OfficerView = { name: 'unlock' } | { name: 'pin' } | { name: 'officer' } | { name: 'inbox' } | { name: 'inboxItem'; id: string } | { name: 'fieldWork' } | { name: 'sops' } | { name: 'accounts' } | { name: 'registers' } | { name: 'conflicts' } | { name: 'duplicates' } | { name: 'voterRecap'; scope?: string };

export function OfficerRoutes({ view }: { view: OfficerView }) {
  switch (view.name) {
    case 'unlock':
      return <UnlockScreen />;
    case 'pin':
      return <PinSetupScreen />;
    case 'officer':
      return <OfficerScreen />;
    case 'inbox':
      return <InboxScreen />;
    case 'inboxItem':
      return <InboxRequestScreen key={view.id} id={view.id} />;
    case 'fieldWork':
      return <FieldWorkScreen />;
    case 'sops':
      return <SopScreen />;
    case 'accounts':
      return <AccountsScreen />;
    case 'registers':
      return <RegisterScreen />;
    case 'conflicts':
      return <ConflictsScreen />;
    case 'duplicates':
      return <DuplicatesScreen />;
    case 'voterRecap':
      return <RecapScreen key={view.scope ?? ''} scope={view.scope} />;
  }
}
