extension Schema {
  /// The team: users in teams, targets, tasks, lead distribution, saved filters, campaigns, and
  /// the indexes the activity report and the audit screen read (migration v6-team).
  static let v6 = """
    -- A user's team (empty: none) and when they were deactivated.
    ALTER TABLE app_user ADD COLUMN team TEXT NOT NULL DEFAULT '';
    ALTER TABLE app_user ADD COLUMN deactivated_at REAL;
    CREATE INDEX user_by_team ON app_user(team, id);

    -- Per-manager goals: AMOUNT of METRIC per PERIOD. Revenue is in kopecks of roubles.
    CREATE TABLE user_target (
      id INTEGER PRIMARY KEY,
      user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
      metric TEXT NOT NULL CHECK (metric IN ('calls', 'meetings', 'letters', 'emails', 'other',
        'contacts', 'new_clients', 'deals_moved', 'deals_won', 'revenue')),
      period TEXT NOT NULL CHECK (period IN ('day', 'week', 'month')),
      amount INTEGER NOT NULL CHECK (amount >= 0),
      set_by INTEGER REFERENCES app_user(id),
      set_at REAL NOT NULL,
      UNIQUE (user_id, metric, period)
    );

    -- Saved client filters (the target of a campaign, a supervisor's list). `query` is JSON of
    -- the list query's fields (search, segment, owner, tag, city…).
    CREATE TABLE saved_filter (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      name_key TEXT NOT NULL UNIQUE,
      query TEXT NOT NULL,
      created_by INTEGER REFERENCES app_user(id),
      created_at REAL NOT NULL
    );

    -- A marketing campaign: everyone the filter selected when it was created got one planned
    -- contact of the campaign's channel with their owner (campaign_client keeps who and which).
    CREATE TABLE campaign (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL CHECK (length(name) > 0),
      channel TEXT NOT NULL CHECK (channel IN ('call', 'meeting', 'letter', 'email', 'other')),
      starts_at REAL NOT NULL,
      ends_at REAL NOT NULL,
      filter_id INTEGER REFERENCES saved_filter(id) ON DELETE SET NULL,
      filter_query TEXT NOT NULL,
      notes TEXT NOT NULL DEFAULT '',
      created_by INTEGER REFERENCES app_user(id),
      created_at REAL NOT NULL,
      CHECK (ends_at >= starts_at)
    );
    CREATE TABLE campaign_client (
      campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
      client_id INTEGER NOT NULL REFERENCES client(id) ON DELETE CASCADE,
      contact_id INTEGER REFERENCES contact(id) ON DELETE SET NULL,
      PRIMARY KEY (campaign_id, client_id)
    ) WITHOUT ROWID;
    CREATE INDEX campaign_client_by_client ON campaign_client(client_id);
    ALTER TABLE contact ADD COLUMN campaign_id INTEGER REFERENCES campaign(id) ON DELETE SET NULL;
    CREATE INDEX contact_by_campaign ON contact(campaign_id, status) WHERE campaign_id IS NOT NULL;

    -- Tasks a supervisor gives a manager: a to-do with a due time, or a planned contact (then
    -- contact_id points at it and the contact's status is the task's).
    CREATE TABLE task (
      id INTEGER PRIMARY KEY,
      title TEXT NOT NULL CHECK (length(title) > 0),
      notes TEXT NOT NULL DEFAULT '',
      assignee_id INTEGER NOT NULL REFERENCES app_user(id),
      author_id INTEGER REFERENCES app_user(id),
      client_id INTEGER REFERENCES client(id) ON DELETE CASCADE,
      contact_id INTEGER REFERENCES contact(id) ON DELETE SET NULL,
      due_at REAL NOT NULL,
      remind_at REAL,
      status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
      created_at REAL NOT NULL,
      done_at REAL,
      CHECK ((status = 'open') = (done_at IS NULL))
    );
    -- The manager's calendar and reminders read open tasks by assignee and time; the supervisor
    -- reads the tasks they gave.
    CREATE INDEX task_open_by_assignee ON task(assignee_id, due_at) WHERE status = 'open';
    CREATE INDEX task_by_author ON task(author_id, id);
    CREATE INDEX task_by_contact ON task(contact_id) WHERE contact_id IS NOT NULL;

    -- Every automatic (or manual) assignment of a new client to a manager, and by which rule.
    CREATE TABLE lead_assignment (
      id INTEGER PRIMARY KEY,
      at REAL NOT NULL,
      client_id INTEGER NOT NULL REFERENCES client(id) ON DELETE CASCADE,
      user_id INTEGER NOT NULL REFERENCES app_user(id),
      rule TEXT NOT NULL CHECK (rule IN ('round_robin', 'least_busy', 'segment', 'region',
        'manual')),
      reason TEXT NOT NULL DEFAULT '',
      by_user_id INTEGER REFERENCES app_user(id)
    );
    CREATE INDEX lead_assignment_by_client ON lead_assignment(client_id, id);
    CREATE INDEX lead_assignment_by_user ON lead_assignment(user_id, id);

    -- The activity report reads each figure from an index alone: done contacts per user, time
    -- and kind; live clients per owner and creation time; stage moves (not the creation entry)
    -- per user and time; won deals per owner and closing time with their money.
    CREATE INDEX contact_activity ON contact(user_id, done_at, kind, status)
      WHERE done_at IS NOT NULL;
    CREATE INDEX client_created_by_owner ON client(owner_id, created_at)
      WHERE deleted_at IS NULL;
    CREATE INDEX deal_stage_by_user ON deal_stage(user_id, at) WHERE from_stage_id IS NOT NULL;
    CREATE INDEX deal_won_by_owner ON deal(owner_id, closed_at, currency, amount, client_id)
      WHERE status = 'won';

    -- The audit screen filters by user and period.
    CREATE INDEX audit_by_user ON audit(user_id, at);
    CREATE INDEX audit_by_time ON audit(at);
    -- …and by entity (a rare entity would otherwise read the whole log backwards).
    CREATE INDEX audit_by_entity ON audit(entity, at);
    -- change_set learns users, tasks, campaigns, targets, filters and settings (client_id 0 for
    -- changes that belong to no client).
    CREATE TABLE change_set_v6 (
      id INTEGER PRIMARY KEY,
      at REAL NOT NULL,
      user_id INTEGER REFERENCES app_user(id),
      client_id INTEGER NOT NULL,
      entity TEXT NOT NULL CHECK (entity IN ('client', 'person', 'contact', 'deal', 'offer',
        'contract', 'invoice', 'payment', 'act', 'user', 'task', 'campaign', 'target', 'filter',
        'setting')),
      entity_id INTEGER NOT NULL,
      action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'restore', 'done',
        'missed', 'postpone', 'cancel', 'reassign', 'handover', 'move', 'won', 'lost',
        'reopen', 'sent', 'issue', 'allocate', 'assign', 'export', 'import', 'merge',
        'unmerge', 'bulk', 'classify', 'role', 'deactivate', 'activate', 'distribute', 'set')),
      before_json TEXT,
      undo_of INTEGER REFERENCES change_set(id),
      undone_by INTEGER REFERENCES change_set(id)
    );
    INSERT INTO change_set_v6 SELECT * FROM change_set;
    DROP TABLE change_set;
    ALTER TABLE change_set_v6 RENAME TO change_set;
    CREATE INDEX change_by_user ON change_set(user_id, id);
    -- Merges and import undo look up a client's changes.
    CREATE INDEX change_by_client ON change_set(client_id, id);
    """
}
