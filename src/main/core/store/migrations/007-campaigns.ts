// Campaigns to a segment of patients, post-visit follow-up rules, and the tags that segments select by.
export const campaigns = `
-- Free labels a clinic puts on patients (diabético, gestante, convenio X): segments select by them.
-- tag_key is the tag folded to lower case by the application (SQLite's NOCASE folds only ASCII, not "Ó").
CREATE TABLE patient_tags (
  patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  tag_key TEXT NOT NULL,
  PRIMARY KEY (patient_id, tag_key)
);
CREATE INDEX patient_tags_key ON patient_tags(tag_key);

CREATE TABLE campaigns (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'scheduled', 'sending', 'done', 'cancelled')),
  -- Who it is for (JSON: sites, services, last visit range, age range, tags).
  segment TEXT NOT NULL DEFAULT '{}',
  template_name TEXT,
  template_language TEXT,
  -- Parameters of the template, or nothing for a text; either may carry {nombre}-style patient fields (JSON array).
  template_params TEXT NOT NULL DEFAULT '[]',
  body TEXT NOT NULL DEFAULT '',
  scheduled_at INTEGER,
  -- The throttle: a campaign never takes the whole channel, so clinical messages keep their pace.
  max_per_minute INTEGER NOT NULL DEFAULT 30,
  max_per_hour INTEGER NOT NULL DEFAULT 1000,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  cancelled_at INTEGER
);

-- Everyone the segment selected when the campaign was scheduled: a message, or the reason there is none.
CREATE TABLE campaign_recipients (
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  message_id INTEGER UNIQUE REFERENCES messages(id),
  excluded_code TEXT CHECK (excluded_code IN ('no_consent', 'opted_out', 'no_phone')),
  PRIMARY KEY (campaign_id, patient_id)
);

CREATE TABLE follow_up_rules (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  -- NULL: after a visit to any service.
  service_id INTEGER REFERENCES services(id),
  days_after INTEGER NOT NULL CHECK (days_after BETWEEN 0 AND 365),
  hour_of_day INTEGER NOT NULL CHECK (hour_of_day BETWEEN 0 AND 23),
  template_name TEXT,
  template_language TEXT,
  template_params TEXT NOT NULL DEFAULT '[]',
  body TEXT NOT NULL DEFAULT '',
  enabled INTEGER NOT NULL DEFAULT 1,
  -- Kept (not deleted) so the follow-ups it planned still say which rule they came from.
  deleted_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE follow_ups (
  message_id INTEGER PRIMARY KEY REFERENCES messages(id),
  appointment_id INTEGER NOT NULL REFERENCES appointments(id),
  rule_id INTEGER NOT NULL REFERENCES follow_up_rules(id)
);
CREATE INDEX follow_ups_appointment ON follow_ups(appointment_id);
CREATE INDEX follow_ups_rule ON follow_ups(rule_id);
`;
