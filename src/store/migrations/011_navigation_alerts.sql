-- 011: alerts that can be acknowledged and are cleared when handled, near-breach alerts to a
-- service, and the review and caseload lists read directly (docs/decisions/0005-navigation.md).

-- Who an alert is for: 'triage-team' (emergencies, crisis signals: the on-call screen),
-- 'service:<id>' (a waiting-list entry near its breach) or 'safeguarding-lead' (an override
-- of confidentiality to review). Why and when it was cleared: an
-- acknowledgement by a named member of staff, or the referral leaving that owner.
ALTER TABLE alerts ADD COLUMN audience TEXT NOT NULL DEFAULT 'triage-team';
ALTER TABLE alerts ADD COLUMN cleared_reason TEXT;
ALTER TABLE alerts ADD COLUMN acknowledged_by TEXT;
ALTER TABLE alerts ADD COLUMN acknowledged_at TEXT;
-- Commands clear a referral's open alerts by reference.
CREATE INDEX alerts_by_reference ON alerts (reference, cleared_at);
-- Open alerts of one audience, newest first.
DROP INDEX IF EXISTS alerts_open;
CREATE INDEX alerts_open ON alerts (audience, raised_at) WHERE cleared_at IS NULL;

UPDATE alerts SET audience = 'safeguarding-lead' WHERE code = 'safeguarding-override';
-- Alerts stored before this migration were never cleared. Those whose referral the triage
-- team no longer holds were handled: clear them, saying so.
UPDATE alerts SET cleared_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                  cleared_reason = 'left-triage'
 WHERE cleared_at IS NULL AND audience = 'triage-team'
   AND reference IN (SELECT reference FROM referrals WHERE owner <> 'triage-team');

-- When the service's near-breach alert falls due (the area's breachAlertAt share of the
-- target); NULL once raised, or when no clock is running with the service.
ALTER TABLE referrals ADD COLUMN near_breach_alert_at TEXT;
CREATE INDEX referrals_near_breach ON referrals (service_id, near_breach_alert_at)
  WHERE near_breach_alert_at IS NOT NULL;
-- Clocks running before this migration: due at three quarters of the target, the only value
-- of breachAlertAt any shipped area has used. Those already past it are raised by the next
-- sweep (that is right: nobody was told).
UPDATE referrals
   SET near_breach_alert_at = strftime('%Y-%m-%dT%H:%M:%fZ',
         julianday(clock_start_at) + 0.75 * (julianday(breach_due_at) - julianday(clock_start_at)))
 WHERE status IN ('routed', 'waiting') AND clock_start_at IS NOT NULL
   AND breach_due_at IS NOT NULL AND clock_stop_at IS NULL;

-- A service's review list (missed appointments) and caseload, read directly.
-- The review index holds status too, so counting a service's review list never visits the
-- rows of its whole waiting list.
CREATE INDEX referrals_review ON referrals (service_id, status, updated_at) WHERE needs_review = 1;
CREATE INDEX referrals_caseload ON referrals (service_id, status, birth_date);

-- What a contact is for (assessment, treatment, other): the "assessed" and
-- "treatment-started" clocks stop only at the matching kind. NULL: not said.
ALTER TABLE contacts ADD COLUMN purpose TEXT;
