import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api/api.js';
import { appoint, endPosition, listMemberPositions, listPositionKinds, type MemberPosition } from '../api/positions.js';
import { listOrgUnits } from '../api/study.js';
import { Alert } from '../components/alert.js';
import { LiveStatus } from '../components/live-status.js';
import { day, todayIso } from '../format/numbers.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { failureText, UnitOptions } from './classes-shared.js';
import './classes.css';

/** A member's positions (held and past), with appointing and ending; shown on the member's page. */
export function PositionsPanel({ memberId }: { memberId: string }) {
  const { t, lang } = useT();
  const positions = useResource(() => listMemberPositions(memberId), [memberId]);
  const [status, setStatus] = useState<string | null>(null);
  // Renews the appointment form after every change, so an old refusal does not linger.
  const [generation, setGeneration] = useState(0);
  const name = (p: MemberPosition) => (lang === 'en' ? p.positionNameEn : p.positionNameZh);
  const current = positions.data?.filter((p) => p.current) ?? [];
  const past = positions.data?.filter((p) => !p.current) ?? [];
  const changed = (message: string) => {
    setStatus(message);
    setGeneration((n) => n + 1);
    positions.reload();
  };
  return (
    <section class="panel org-classes" aria-labelledby={`positions-${memberId}`}>
      <h2 id={`positions-${memberId}`}>{t('orgClasses.positionsHeading')}</h2>
      <Alert message={positions.error && t(positions.error)} />
      <LiveStatus message={status} />
      {positions.loading && !positions.data && (
        <p class="status" role="status">
          {t('app.loading')}
        </p>
      )}
      {positions.data && (
        <>
          <h3>{t('orgClasses.currentPositions')}</h3>
          {current.length === 0 ? (
            <p>{t('orgClasses.noCurrentPositions')}</p>
          ) : (
            <ul class="search-results">
              {current.map((p) => (
                <CurrentPosition key={p.id} position={p} label={name(p)} onEnded={changed} />
              ))}
            </ul>
          )}
          {past.length > 0 && (
            <>
              <h3>{t('orgClasses.pastPositions')}</h3>
              <ul class="search-results">
                {past.map((p) => (
                  <li key={p.id}>
                    <span class="search-results__who">
                      <strong>{name(p)}</strong> · {p.orgUnit.name} ·{' '}
                      {t('orgClasses.period', { from: day(p.startedOn, lang), to: day(p.endedOn, lang) })}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      <AppointForm key={generation} memberId={memberId} onAppointed={changed} />
    </section>
  );
}

function CurrentPosition({ position, label, onEnded }: { position: MemberPosition; label: string; onEnded(message: string): void }) {
  const { t, lang } = useT();
  const [confirming, setConfirming] = useState(false);
  const [endedOn, setEndedOn] = useState(() => (todayIso() < position.startedOn ? position.startedOn : todayIso()));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const inputId = `end-${position.id}`;

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setProblem(null);
    try {
      await endPosition(position.id, endedOn || undefined);
      onEnded(t('orgClasses.ended', { position: label, unit: position.orgUnit.name }));
    } catch (failure) {
      setProblem(failureText(failure, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li>
      <span class="search-results__who">
        <strong>{label}</strong> · {position.orgUnit.name} · {t('orgClasses.colStarted')} {day(position.startedOn, lang)}
      </span>
      {!confirming ? (
        <button
          type="button"
          class="button button--danger"
          aria-label={t('orgClasses.endLabel', { position: label, unit: position.orgUnit.name })}
          onClick={() => setConfirming(true)}
        >
          {t('orgClasses.end')}
        </button>
      ) : (
        <form class="inline-form" aria-busy={busy} onSubmit={submit}>
          <Alert message={problem} />
          <div class="field">
            <label for={inputId}>{t('orgClasses.endedOn')}</label>
            <input id={inputId} type="date" min={position.startedOn} value={endedOn} onInput={(e) => setEndedOn(e.currentTarget.value)} />
          </div>
          <button type="submit" class="button button--danger-strong" disabled={busy}>
            {t('orgClasses.endYes')}
          </button>
          <button type="button" class="button" onClick={() => setConfirming(false)}>
            {t('orgClasses.cancel')}
          </button>
        </form>
      )}
    </li>
  );
}

function AppointForm({ memberId, onAppointed }: { memberId: string; onAppointed(message: string): void }) {
  const { t, lang } = useT();
  const kinds = useResource(listPositionKinds, []);
  const units = useResource(listOrgUnits, []);
  const [positionCode, setPositionCode] = useState('');
  const [orgUnitId, setOrgUnitId] = useState('');
  const [startedOn, setStartedOn] = useState(todayIso);
  const [invalid, setInvalid] = useState<{ position?: boolean; unit?: boolean }>({});
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const ids = { position: `appoint-position-${memberId}`, unit: `appoint-unit-${memberId}`, start: `appoint-start-${memberId}` };

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const found = { position: !positionCode, unit: !orgUnitId };
    setInvalid(found);
    if (found.position || found.unit) {
      document.getElementById(found.position ? ids.position : ids.unit)?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const made = await appoint(memberId, { orgUnitId, positionCode, ...(startedOn ? { startedOn } : {}) });
      onAppointed(
        t('orgClasses.appointed', { position: lang === 'en' ? made.positionNameEn : made.positionNameZh, unit: made.orgUnit.name }),
      );
    } catch (failure) {
      setProblem(failure instanceof ApiError && failure.status === 409 ? t('orgClasses.alreadyHolds') : failureText(failure, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form form--compact" noValidate aria-busy={busy} onSubmit={submit} aria-labelledby={`appoint-${memberId}`}>
      <h3 id={`appoint-${memberId}`}>{t('orgClasses.appointHeading')}</h3>
      <Alert message={problem} />
      <div class="field-row">
        <div class="field">
          <label for={ids.position}>{t('orgClasses.position')}</label>
          <select
            id={ids.position}
            value={positionCode}
            aria-invalid={!!invalid.position}
            aria-describedby={invalid.position ? `${ids.position}-error` : undefined}
            onChange={(e) => setPositionCode(e.currentTarget.value)}
          >
            <option value="">{t('orgClasses.choose')}</option>
            {kinds.data?.map((k) => (
              <option key={k.code} value={k.code}>
                {lang === 'en' ? k.nameEn : k.nameZh}
              </option>
            ))}
          </select>
          {invalid.position && (
            <p id={`${ids.position}-error`} class="field__error">
              {t('orgClasses.chooseRequired')}
            </p>
          )}
        </div>
        <div class="field">
          <label for={ids.unit}>{t('orgClasses.positionUnit')}</label>
          <select
            id={ids.unit}
            value={orgUnitId}
            aria-invalid={!!invalid.unit}
            aria-describedby={invalid.unit ? `${ids.unit}-error` : undefined}
            onChange={(e) => setOrgUnitId(e.currentTarget.value)}
          >
            <option value="">{t('orgClasses.choose')}</option>
            {units.data && <UnitOptions units={units.data} />}
          </select>
          {invalid.unit && (
            <p id={`${ids.unit}-error`} class="field__error">
              {t('orgClasses.chooseRequired')}
            </p>
          )}
        </div>
        <div class="field">
          <label for={ids.start}>{t('orgClasses.startedOn')}</label>
          <input id={ids.start} type="date" value={startedOn} onInput={(e) => setStartedOn(e.currentTarget.value)} />
        </div>
      </div>
      <p class="actions">
        <button type="submit" class="button button--primary" disabled={busy}>
          {busy ? t('orgClasses.appointing') : t('orgClasses.appoint')}
        </button>
      </p>
    </form>
  );
}
