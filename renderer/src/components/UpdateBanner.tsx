import { useEffect, useState } from 'react';
import type { UpdateState } from '../../../preload/contract.ts';
import type { EarshotBridge } from '../../../preload/bridge.ts';

/**
 * "Restart to update" once main has downloaded an update (main/app/updates/update-policy.ts). Shows
 * nothing while checking or downloading, nor after a failed check (that is one log line, not news).
 * Clicked during a turn, main installs when the turn ends; the banner says so.
 */
export function UpdateBanner(props: { bridge: EarshotBridge }): React.JSX.Element | null {
  const { bridge } = props;
  const [update, setUpdate] = useState<UpdateState>({ state: 'idle' });
  useEffect(() => bridge.on.update(setUpdate), [bridge]);
  if (update.state !== 'ready') return null;
  return (
    <div className="update-banner" role="status" data-testid="update-banner">
      {update.installAfterTurn ? (
        <span>Earshot {update.version} will be installed when this turn ends.</span>
      ) : (
        <>
          <span>Earshot {update.version} is ready.</span>
          <button type="button" onClick={() => void bridge.request.installUpdate({}).catch(() => undefined)}>
            Restart to update
          </button>
        </>
      )}
    </div>
  );
}
