-- What a control event was about, readable (a key's name, an invitee's e-mail, a member's new role),
-- as JSON picked from the event when it is projected; never secrets. The audit log shows it.
ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS detail String DEFAULT '';
