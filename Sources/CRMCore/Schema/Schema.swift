import GRDB

/// The database schema, one migration per released change. Never edit a shipped migration:
/// add a new one. `Schema.version` is the number of migrations this build knows.
public enum Schema {
  /// `PRAGMA application_id` of a TermCRM database: ASCII "TCRM".
  public static let applicationID: Int32 = 0x5443_524D

  public static var version: Int { identifiers.count }

  /// A short hash of the schema's SQL (FNV-1a), so caches built from it (benchmark datasets)
  /// are rebuilt when it changes.
  public static var fingerprint: String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in (v1 + v2 + v3 + v4 + v5 + v5Classes + v5Import + v6 + v7 + v8 + v9 + v10 + v11).utf8
    {
      hash ^= UInt64(byte)
      hash &*= 0x100_0000_01b3
    }
    return String(hash & 0xFFFF_FFFF, radix: 16)
  }
  static let identifiers = [
    "v1-clients", "v2-contacts", "v3-deals", "v4-money", "v5-client-base", "v6-team",
    "v7-versions", "v8-client-creator", "v9-outcomes-discounts", "v10-mail-attachments",
    "v11-legal-entities",
  ]

  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1-clients") { db in
      try db.execute(sql: "PRAGMA application_id = \(applicationID)")
      try db.execute(sql: v1)
    }
    migrator.registerMigration("v2-contacts") { db in
      try db.execute(sql: v2)
    }
    migrator.registerMigration("v3-deals") { db in
      try db.execute(sql: v3)
      // The outcome list came with v8 (whose table check allows it), which seeds it.
      var standard = FunnelConfig.standard
      standard.outcomes = []
      try PipelineService.seed(db, standard)
    }
    migrator.registerMigration("v4-money") { db in
      try db.execute(sql: v4)
    }
    migrator.registerMigration("v5-client-base") { db in
      try db.execute(sql: v5)
      try db.execute(sql: v5Classes)
      try db.execute(sql: v5Import)
      try DuplicateKeys.backfill(db)
    }
    migrator.registerMigration("v6-team") { db in
      try db.execute(sql: v6)
    }
    migrator.registerMigration("v7-versions") { db in
      try db.execute(sql: v7)
    }
    migrator.registerMigration("v8-client-creator") { db in
      try db.execute(sql: v8)
      try v8Repair(db)
    }
    migrator.registerMigration("v9-outcomes-discounts") { db in
      try db.execute(sql: v9)
      for (i, c) in FunnelConfig.standardOutcomes.enumerated() {
        try db.execute(
          sql:
            "INSERT INTO choice (list, key, name, name_en, position) VALUES ('outcome', ?, ?, ?, ?)",
          arguments: [c.key, c.name, c.nameEn, i])
      }
    }
    migrator.registerMigration("v10-mail-attachments") { db in
      try db.execute(sql: v10)
    }
    migrator.registerMigration("v11-legal-entities") { db in
      try db.execute(sql: v11)
    }
    return migrator
  }

  private static let v1 = """
    CREATE TABLE app_user (
      id INTEGER PRIMARY KEY,
      login TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL DEFAULT '',
      role TEXT NOT NULL DEFAULT 'manager' CHECK (role IN ('manager', 'supervisor', 'admin')),
      active INTEGER NOT NULL DEFAULT 1,
      created_at REAL NOT NULL
    );
    CREATE TABLE client (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('company', 'person')),
      name TEXT NOT NULL CHECK (length(name) > 0),
      name_key TEXT NOT NULL,
      legal_form TEXT NOT NULL DEFAULT '',
      inn TEXT NOT NULL DEFAULT '',
      kpp TEXT NOT NULL DEFAULT '',
      ogrn TEXT NOT NULL DEFAULT '',
      website TEXT NOT NULL DEFAULT '',
      city TEXT NOT NULL DEFAULT '',
      city_key TEXT NOT NULL DEFAULT '',
      legal_address TEXT NOT NULL DEFAULT '',
      actual_address TEXT NOT NULL DEFAULT '',
      postal_address TEXT NOT NULL DEFAULT '',
      lead_source TEXT NOT NULL DEFAULT '',
      segment TEXT NOT NULL DEFAULT '',
      owner_id INTEGER REFERENCES app_user(id),
      notes TEXT NOT NULL DEFAULT '',
      phone_sort TEXT NOT NULL DEFAULT '',
      created_at REAL NOT NULL,
      updated_at REAL NOT NULL,
      deleted_at REAL,
      last_contact_at REAL
    );
    CREATE INDEX client_by_name ON client(name_key, id) WHERE deleted_at IS NULL;
    CREATE INDEX client_by_city ON client(city_key, name_key, id) WHERE deleted_at IS NULL;
    CREATE INDEX client_by_phone ON client(phone_sort, name_key, id) WHERE deleted_at IS NULL;
    CREATE INDEX client_by_segment ON client(segment, name_key, id) WHERE deleted_at IS NULL;
    CREATE INDEX client_by_owner ON client(owner_id, name_key, id) WHERE deleted_at IS NULL;
    CREATE INDEX client_by_last_contact ON client(last_contact_at DESC, name_key, id)
      WHERE deleted_at IS NULL;
    CREATE INDEX client_trash ON client(deleted_at) WHERE deleted_at IS NOT NULL;
    CREATE INDEX client_by_inn ON client(inn) WHERE inn <> '';

    CREATE TABLE contact_person (
      id INTEGER PRIMARY KEY,
      client_id INTEGER NOT NULL REFERENCES client(id) ON DELETE CASCADE,
      name TEXT NOT NULL CHECK (length(name) > 0),
      position TEXT NOT NULL DEFAULT '',
      birthday TEXT NOT NULL DEFAULT '',
      notes TEXT NOT NULL DEFAULT '',
      created_at REAL NOT NULL,
      updated_at REAL NOT NULL,
      deleted_at REAL
    );
    CREATE INDEX person_by_client ON contact_person(client_id);

    CREATE TABLE phone (
      id INTEGER PRIMARY KEY,
      client_id INTEGER NOT NULL REFERENCES client(id) ON DELETE CASCADE,
      person_id INTEGER REFERENCES contact_person(id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      raw TEXT NOT NULL,
      e164 TEXT
    );
    CREATE INDEX phone_by_client ON phone(client_id, person_id, position);
    CREATE INDEX phone_by_person ON phone(person_id) WHERE person_id IS NOT NULL;
    CREATE INDEX phone_by_e164 ON phone(e164) WHERE e164 IS NOT NULL;

    CREATE TABLE email (
      id INTEGER PRIMARY KEY,
      client_id INTEGER NOT NULL REFERENCES client(id) ON DELETE CASCADE,
      person_id INTEGER REFERENCES contact_person(id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      address TEXT NOT NULL,
      address_key TEXT NOT NULL
    );
    CREATE INDEX email_by_client ON email(client_id, person_id, position);
    CREATE INDEX email_by_person ON email(person_id) WHERE person_id IS NOT NULL;
    CREATE INDEX email_by_key ON email(address_key);

    CREATE TABLE bank_account (
      id INTEGER PRIMARY KEY,
      client_id INTEGER NOT NULL REFERENCES client(id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      bik TEXT NOT NULL DEFAULT '',
      account TEXT NOT NULL DEFAULT '',
      corr_account TEXT NOT NULL DEFAULT '',
      bank_name TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX bank_account_by_client ON bank_account(client_id, position);

    -- A rowid table on purpose: SQLite 3.40's integrity_check misreports NOT NULL columns of
    -- WITHOUT ROWID tables as NULL.
    CREATE TABLE client_tag (
      id INTEGER PRIMARY KEY,
      client_id INTEGER NOT NULL REFERENCES client(id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      tag TEXT NOT NULL,
      tag_key TEXT NOT NULL,
      UNIQUE (client_id, tag_key)
    );
    CREATE INDEX tag_by_key ON client_tag(tag_key, client_id);

    CREATE TABLE change_set (
      id INTEGER PRIMARY KEY,
      at REAL NOT NULL,
      user_id INTEGER REFERENCES app_user(id),
      client_id INTEGER NOT NULL,
      entity TEXT NOT NULL CHECK (entity IN ('client', 'person')),
      entity_id INTEGER NOT NULL,
      action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'restore')),
      before_json TEXT,
      undo_of INTEGER REFERENCES change_set(id),
      undone_by INTEGER REFERENCES change_set(id)
    );
    CREATE INDEX change_by_user ON change_set(user_id, id);

    CREATE TABLE audit (
      id INTEGER PRIMARY KEY,
      change_id INTEGER NOT NULL REFERENCES change_set(id),
      at REAL NOT NULL,
      user_id INTEGER REFERENCES app_user(id),
      client_id INTEGER NOT NULL,
      entity TEXT NOT NULL,
      entity_id INTEGER NOT NULL,
      action TEXT NOT NULL,
      field TEXT NOT NULL,
      old TEXT,
      new TEXT
    );
    CREATE INDEX audit_by_client ON audit(client_id, id);

    -- Running totals kept by triggers, so the first screen need not count a million rows.
    CREATE TABLE counter (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      value INTEGER NOT NULL
    );
    INSERT INTO counter (name, value) VALUES ('live_clients', 0);
    CREATE TRIGGER client_counted AFTER INSERT ON client WHEN NEW.deleted_at IS NULL BEGIN
      UPDATE counter SET value = value + 1 WHERE name = 'live_clients';
    END;
    CREATE TRIGGER client_uncounted AFTER DELETE ON client WHEN OLD.deleted_at IS NULL BEGIN
      UPDATE counter SET value = value - 1 WHERE name = 'live_clients';
    END;
    CREATE TRIGGER client_trashed AFTER UPDATE OF deleted_at ON client
    WHEN (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) BEGIN
      UPDATE counter SET value = value + (CASE WHEN NEW.deleted_at IS NULL THEN 1 ELSE -1 END)
      WHERE name = 'live_clients';
    END;

    CREATE VIRTUAL TABLE client_fts USING fts5(
      name, persons, phones, emails, requisites, tags, notes,
      tokenize = 'unicode61', prefix = '1 2', detail = column
    );
    """

  /// Contacts (calls, meetings, letters…), settings, and a change log that also records contacts.
  private static let v2 = """
    CREATE TABLE contact (
      id INTEGER PRIMARY KEY,
      client_id INTEGER NOT NULL REFERENCES client(id) ON DELETE CASCADE,
      person_id INTEGER REFERENCES contact_person(id) ON DELETE SET NULL,
      deal_id INTEGER,
      kind TEXT NOT NULL CHECK (kind IN
        ('call', 'meeting', 'letter', 'email', 'request', 'complaint', 'visit', 'other')),
      direction TEXT NOT NULL DEFAULT 'out' CHECK (direction IN ('in', 'out')),
      status TEXT NOT NULL CHECK (status IN ('planned', 'done', 'missed', 'cancelled')),
      due_at REAL,
      duration_min INTEGER NOT NULL DEFAULT 0 CHECK (duration_min >= 0),
      done_at REAL,
      subject TEXT NOT NULL DEFAULT '',
      outcome TEXT NOT NULL DEFAULT '',
      notes TEXT NOT NULL DEFAULT '',
      user_id INTEGER NOT NULL REFERENCES app_user(id),
      author_id INTEGER REFERENCES app_user(id),
      remind_at REAL,
      recurrence TEXT NOT NULL DEFAULT '',
      series_id INTEGER REFERENCES contact(id) ON DELETE SET NULL,
      attempt INTEGER NOT NULL DEFAULT 0,
      sequence INTEGER NOT NULL DEFAULT 0,
      created_at REAL NOT NULL,
      updated_at REAL NOT NULL,
      CHECK (status <> 'planned' OR due_at IS NOT NULL),
      CHECK (status NOT IN ('done', 'missed') OR done_at IS NOT NULL)
    );
    -- Reminders, the calendar and the overdue count read planned contacts by user and time.
    CREATE INDEX contact_planned_by_user ON contact(user_id, due_at) WHERE status = 'planned';
    CREATE INDEX contact_planned ON contact(due_at) WHERE status = 'planned';
    CREATE INDEX contact_by_client ON contact(client_id, id);
    -- "Has this client anything planned?" (contact cadence) without reading contact rows.
    CREATE INDEX contact_planned_by_client ON contact(client_id) WHERE status = 'planned';
    CREATE INDEX contact_done_by_user ON contact(user_id, done_at) WHERE done_at IS NOT NULL;
    CREATE INDEX contact_series ON contact(series_id) WHERE series_id IS NOT NULL;

    CREATE TABLE setting (
      id INTEGER PRIMARY KEY,
      key TEXT NOT NULL UNIQUE,
      value TEXT NOT NULL
    );

    -- change_set is rebuilt to record contacts too (entity 'contact') and the contact actions.
    CREATE TABLE change_set_v2 (
      id INTEGER PRIMARY KEY,
      at REAL NOT NULL,
      user_id INTEGER REFERENCES app_user(id),
      client_id INTEGER NOT NULL,
      entity TEXT NOT NULL CHECK (entity IN ('client', 'person', 'contact')),
      entity_id INTEGER NOT NULL,
      action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'restore', 'done',
        'missed', 'postpone', 'cancel', 'reassign', 'handover')),
      before_json TEXT,
      undo_of INTEGER REFERENCES change_set(id),
      undone_by INTEGER REFERENCES change_set(id)
    );
    INSERT INTO change_set_v2 SELECT * FROM change_set;
    DROP TABLE change_set;
    ALTER TABLE change_set_v2 RENAME TO change_set;
    CREATE INDEX change_by_user ON change_set(user_id, id);
    """

  /// Deals, pipelines and their stages, stage history, entry-action log, choice lists (lead
  /// sources, lost reasons), commercial offers; the change log learns deals and offers.
  private static let v3 = """
    CREATE TABLE pipeline (
      id INTEGER PRIMARY KEY,
      key TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      name_en TEXT NOT NULL DEFAULT '',
      position INTEGER NOT NULL
    );
    CREATE TABLE stage (
      id INTEGER PRIMARY KEY,
      pipeline_id INTEGER NOT NULL REFERENCES pipeline(id),
      key TEXT NOT NULL,
      name TEXT NOT NULL,
      name_en TEXT NOT NULL DEFAULT '',
      position INTEGER NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('open', 'won', 'lost')),
      probability INTEGER NOT NULL CHECK (probability BETWEEN 0 AND 100),
      stuck_days INTEGER CHECK (stuck_days > 0),
      actions TEXT NOT NULL DEFAULT '[]',
      -- A stage removed from the configuration while history still names it.
      archived INTEGER NOT NULL DEFAULT 0,
      UNIQUE (pipeline_id, key)
    );
    CREATE TABLE choice (
      id INTEGER PRIMARY KEY,
      list TEXT NOT NULL CHECK (list IN ('lead_source', 'lost_reason')),
      key TEXT NOT NULL,
      name TEXT NOT NULL,
      name_en TEXT NOT NULL DEFAULT '',
      position INTEGER NOT NULL,
      UNIQUE (list, key)
    );

    CREATE TABLE deal (
      id INTEGER PRIMARY KEY,
      pipeline_id INTEGER NOT NULL REFERENCES pipeline(id),
      stage_id INTEGER NOT NULL REFERENCES stage(id),
      -- The furthest open or won stage the deal has reached: conversion without the history.
      reached_stage_id INTEGER NOT NULL REFERENCES stage(id),
      status TEXT NOT NULL CHECK (status IN ('open', 'won', 'lost')),
      client_id INTEGER NOT NULL REFERENCES client(id),
      person_id INTEGER REFERENCES contact_person(id) ON DELETE SET NULL,
      title TEXT NOT NULL CHECK (length(title) > 0),
      amount INTEGER NOT NULL DEFAULT 0 CHECK (amount >= 0),
      currency TEXT NOT NULL DEFAULT 'RUB' CHECK (length(currency) = 3),
      probability INTEGER CHECK (probability BETWEEN 0 AND 100),
      expected_close TEXT NOT NULL DEFAULT '',
      source TEXT NOT NULL DEFAULT '',
      owner_id INTEGER NOT NULL REFERENCES app_user(id),
      lost_reason TEXT NOT NULL DEFAULT '',
      notes TEXT NOT NULL DEFAULT '',
      created_at REAL NOT NULL,
      updated_at REAL NOT NULL,
      stage_at REAL NOT NULL,
      closed_at REAL,
      CHECK ((status = 'open') = (closed_at IS NULL))
    );
    -- The funnel board: open deals per stage, longest in the stage first; totals from the index.
    CREATE INDEX deal_open_by_stage ON deal(stage_id, stage_at, id, amount, currency, probability)
      WHERE closed_at IS NULL;
    CREATE INDEX deal_open_by_owner ON deal(owner_id, stage_id, stage_at, id, amount, currency,
      probability) WHERE closed_at IS NULL;
    CREATE INDEX deal_by_client ON deal(client_id, id);
    -- Reports read deals through this covering index instead of the table.
    CREATE INDEX deal_report ON deal(pipeline_id, created_at, owner_id, source, reached_stage_id,
      status, closed_at, currency, amount);
    CREATE INDEX deal_by_closed ON deal(closed_at) WHERE closed_at IS NOT NULL;

    -- Open deals per stage and currency (count, sum, sums for the weighted total), kept by
    -- triggers, so the unfiltered funnel board reads a few rows instead of every open deal.
    CREATE TABLE stage_total (
      id INTEGER PRIMARY KEY,
      stage_id INTEGER NOT NULL,
      currency TEXT NOT NULL,
      deals INTEGER NOT NULL,
      amount INTEGER NOT NULL,
      default_amount INTEGER NOT NULL,
      own_weighted INTEGER NOT NULL,
      UNIQUE (stage_id, currency)
    );
    CREATE TRIGGER deal_total_insert AFTER INSERT ON deal WHEN NEW.closed_at IS NULL BEGIN
      INSERT INTO stage_total (stage_id, currency, deals, amount, default_amount, own_weighted)
      VALUES (NEW.stage_id, NEW.currency, 1, NEW.amount,
        CASE WHEN NEW.probability IS NULL THEN NEW.amount ELSE 0 END,
        NEW.amount * coalesce(NEW.probability, 0))
      ON CONFLICT (stage_id, currency) DO UPDATE SET deals = deals + 1,
        amount = amount + excluded.amount, default_amount = default_amount + excluded.default_amount,
        own_weighted = own_weighted + excluded.own_weighted;
    END;
    CREATE TRIGGER deal_total_delete AFTER DELETE ON deal WHEN OLD.closed_at IS NULL BEGIN
      UPDATE stage_total SET deals = deals - 1, amount = amount - OLD.amount,
        default_amount = default_amount
          - CASE WHEN OLD.probability IS NULL THEN OLD.amount ELSE 0 END,
        own_weighted = own_weighted - OLD.amount * coalesce(OLD.probability, 0)
      WHERE stage_id = OLD.stage_id AND currency = OLD.currency;
    END;
    CREATE TRIGGER deal_total_update
    AFTER UPDATE OF stage_id, currency, amount, probability, closed_at ON deal BEGIN
      UPDATE stage_total SET deals = deals - 1, amount = amount - OLD.amount,
        default_amount = default_amount
          - CASE WHEN OLD.probability IS NULL THEN OLD.amount ELSE 0 END,
        own_weighted = own_weighted - OLD.amount * coalesce(OLD.probability, 0)
      WHERE stage_id = OLD.stage_id AND currency = OLD.currency AND OLD.closed_at IS NULL;
      INSERT INTO stage_total (stage_id, currency, deals, amount, default_amount, own_weighted)
      SELECT NEW.stage_id, NEW.currency, 1, NEW.amount,
        CASE WHEN NEW.probability IS NULL THEN NEW.amount ELSE 0 END,
        NEW.amount * coalesce(NEW.probability, 0)
      WHERE NEW.closed_at IS NULL
      ON CONFLICT (stage_id, currency) DO UPDATE SET deals = deals + 1,
        amount = amount + excluded.amount, default_amount = default_amount + excluded.default_amount,
        own_weighted = own_weighted + excluded.own_weighted;
    END;

    -- Stage history, kept forever: one row per entry into a stage.
    CREATE TABLE deal_stage (
      id INTEGER PRIMARY KEY,
      deal_id INTEGER NOT NULL REFERENCES deal(id) ON DELETE CASCADE,
      from_stage_id INTEGER REFERENCES stage(id),
      to_stage_id INTEGER NOT NULL REFERENCES stage(id),
      at REAL NOT NULL,
      left_at REAL,
      user_id INTEGER REFERENCES app_user(id),
      duration REAL GENERATED ALWAYS AS (left_at - at) VIRTUAL
    );
    CREATE INDEX deal_stage_by_deal ON deal_stage(deal_id, id);
    CREATE INDEX deal_stage_by_at ON deal_stage(at);
    -- Medians per stage walk this index: ORDER BY duration LIMIT 1 OFFSET n/2.
    CREATE INDEX deal_stage_by_duration ON deal_stage(to_stage_id, duration)
      WHERE left_at IS NOT NULL;
    -- Completed stays per stage (count and total seconds), kept by triggers, so the all-time
    -- report need not scan the history.
    CREATE TABLE stage_stay (
      id INTEGER PRIMARY KEY,
      stage_id INTEGER NOT NULL UNIQUE,
      stays INTEGER NOT NULL,
      seconds REAL NOT NULL
    );
    CREATE TRIGGER deal_stage_left AFTER UPDATE OF at, left_at, to_stage_id ON deal_stage BEGIN
      UPDATE stage_stay SET stays = stays - 1, seconds = seconds - OLD.duration
      WHERE stage_id = OLD.to_stage_id AND OLD.left_at IS NOT NULL;
      INSERT INTO stage_stay (stage_id, stays, seconds)
      SELECT NEW.to_stage_id, 1, NEW.duration WHERE NEW.left_at IS NOT NULL
      ON CONFLICT (stage_id) DO UPDATE SET stays = stays + 1, seconds = seconds + excluded.seconds;
    END;
    CREATE TRIGGER deal_stage_closed_insert AFTER INSERT ON deal_stage
    WHEN NEW.left_at IS NOT NULL BEGIN
      INSERT INTO stage_stay (stage_id, stays, seconds) VALUES (NEW.to_stage_id, 1, NEW.duration)
      ON CONFLICT (stage_id) DO UPDATE SET stays = stays + 1, seconds = seconds + excluded.seconds;
    END;
    CREATE TRIGGER deal_stage_closed_delete AFTER DELETE ON deal_stage
    WHEN OLD.left_at IS NOT NULL BEGIN
      UPDATE stage_stay SET stays = stays - 1, seconds = seconds - OLD.duration
      WHERE stage_id = OLD.to_stage_id;
    END;

    -- What entry actions did, once per entry (UNIQUE) and visible in the deal's history.
    CREATE TABLE deal_event (
      id INTEGER PRIMARY KEY,
      deal_id INTEGER NOT NULL REFERENCES deal(id) ON DELETE CASCADE,
      entry_id INTEGER NOT NULL REFERENCES deal_stage(id) ON DELETE CASCADE,
      action_index INTEGER NOT NULL,
      action TEXT NOT NULL,
      contact_id INTEGER REFERENCES contact(id) ON DELETE SET NULL,
      offer_id INTEGER REFERENCES offer(id) ON DELETE SET NULL,
      at REAL NOT NULL,
      UNIQUE (entry_id, action_index)
    );
    CREATE INDEX deal_event_by_deal ON deal_event(deal_id, id);

    -- Commercial offers on deals, with their lines; sums in minor units of the offer's currency.
    CREATE TABLE offer (
      id INTEGER PRIMARY KEY,
      deal_id INTEGER NOT NULL REFERENCES deal(id) ON DELETE CASCADE,
      number TEXT NOT NULL,
      date TEXT NOT NULL,
      currency TEXT NOT NULL DEFAULT 'RUB',
      prices_include_vat INTEGER NOT NULL DEFAULT 1,
      status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent')),
      valid_until TEXT NOT NULL DEFAULT '',
      notes TEXT NOT NULL DEFAULT '',
      sent_at REAL,
      contact_id INTEGER REFERENCES contact(id) ON DELETE SET NULL,
      author_id INTEGER REFERENCES app_user(id),
      created_at REAL NOT NULL,
      updated_at REAL NOT NULL,
      CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
      CHECK (length(currency) = 3)
    );
    CREATE INDEX offer_by_deal ON offer(deal_id, id);
    CREATE UNIQUE INDEX offer_number ON offer(number);
    CREATE TABLE offer_line (
      id INTEGER PRIMARY KEY,
      offer_id INTEGER NOT NULL REFERENCES offer(id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      item TEXT NOT NULL CHECK (length(item) > 0),
      unit TEXT NOT NULL DEFAULT '',
      -- Quantity in thousandths (1.5 pcs = 1500), price in minor units; VAT rate in percent,
      -- NULL for "without VAT".
      quantity_milli INTEGER NOT NULL CHECK (quantity_milli > 0),
      price INTEGER NOT NULL CHECK (price >= 0),
      vat_rate INTEGER CHECK (vat_rate IN (0, 5, 7, 10, 20, 22)),
      sum INTEGER NOT NULL CHECK (sum >= 0)
    );
    CREATE INDEX offer_line_by_offer ON offer_line(offer_id, position);

    -- change_set learns deals and offers and their actions.
    CREATE TABLE change_set_v3 (
      id INTEGER PRIMARY KEY,
      at REAL NOT NULL,
      user_id INTEGER REFERENCES app_user(id),
      client_id INTEGER NOT NULL,
      entity TEXT NOT NULL CHECK (entity IN ('client', 'person', 'contact', 'deal', 'offer')),
      entity_id INTEGER NOT NULL,
      action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'restore', 'done',
        'missed', 'postpone', 'cancel', 'reassign', 'handover', 'move', 'won', 'lost',
        'reopen', 'sent')),
      before_json TEXT,
      undo_of INTEGER REFERENCES change_set(id),
      undone_by INTEGER REFERENCES change_set(id)
    );
    INSERT INTO change_set_v3 SELECT * FROM change_set;
    DROP TABLE change_set;
    ALTER TABLE change_set_v3 RENAME TO change_set;
    CREATE INDEX change_by_user ON change_set(user_id, id);
    """

  /// Contracts, invoices, payments (bank and cash) with their allocation to invoices, acts,
  /// bank statement imports and the log of exports to accounting. Amounts are integer minor
  /// units of the document's currency; a rate is decimal text (roubles per unit), NULL for 1.
  private static let v4 = """
    CREATE TABLE contract (
      id INTEGER PRIMARY KEY,
      client_id INTEGER NOT NULL REFERENCES client(id),
      deal_id INTEGER REFERENCES deal(id) ON DELETE SET NULL,
      number TEXT NOT NULL CHECK (length(number) > 0),
      -- The number folded for matching what a payer writes: case, spaces and «№» dropped.
      number_key TEXT NOT NULL,
      date TEXT NOT NULL,
      kind TEXT NOT NULL DEFAULT 'formal' CHECK (kind IN ('formal', 'actual')),
      subject TEXT NOT NULL DEFAULT '',
      amount INTEGER NOT NULL DEFAULT 0 CHECK (amount >= 0),
      currency TEXT NOT NULL DEFAULT 'RUB' CHECK (length(currency) = 3),
      rate TEXT,
      conventional_units INTEGER NOT NULL DEFAULT 0,
      prepay_pct INTEGER NOT NULL DEFAULT 0 CHECK (prepay_pct BETWEEN 0 AND 100),
      payment_days INTEGER CHECK (payment_days BETWEEN 0 AND 3650),
      terms TEXT NOT NULL DEFAULT '',
      status TEXT NOT NULL DEFAULT 'active'
        CHECK (status IN ('draft', 'active', 'closed', 'cancelled')),
      valid_until TEXT NOT NULL DEFAULT '',
      notes TEXT NOT NULL DEFAULT '',
      created_at REAL NOT NULL,
      updated_at REAL NOT NULL
    );
    CREATE UNIQUE INDEX contract_number ON contract(client_id, number_key);
    CREATE INDEX contract_by_number ON contract(number_key);

    CREATE TABLE invoice (
      id INTEGER PRIMARY KEY,
      client_id INTEGER NOT NULL REFERENCES client(id),
      contract_id INTEGER REFERENCES contract(id),
      deal_id INTEGER REFERENCES deal(id) ON DELETE SET NULL,
      number TEXT NOT NULL CHECK (length(number) > 0),
      number_key TEXT NOT NULL,
      date TEXT NOT NULL,
      year INTEGER NOT NULL GENERATED ALWAYS AS (CAST(substr(date, 1, 4) AS INTEGER)) VIRTUAL,
      due_date TEXT NOT NULL DEFAULT '',
      currency TEXT NOT NULL DEFAULT 'RUB' CHECK (length(currency) = 3),
      rate TEXT,
      prices_include_vat INTEGER NOT NULL DEFAULT 1,
      -- draft, issued or cancelled; partly paid, paid and overdue are read from paid and due_date.
      status TEXT NOT NULL DEFAULT 'issued' CHECK (status IN ('draft', 'issued', 'cancelled')),
      total INTEGER NOT NULL DEFAULT 0 CHECK (total >= 0),
      vat INTEGER NOT NULL DEFAULT 0 CHECK (vat >= 0),
      -- Allocated payments, kept by the triggers below.
      paid INTEGER NOT NULL DEFAULT 0 CHECK (paid >= 0),
      notes TEXT NOT NULL DEFAULT '',
      author_id INTEGER REFERENCES app_user(id),
      created_at REAL NOT NULL,
      updated_at REAL NOT NULL
    );
    -- Invoice numbers run per year; the same number twice in a year is refused.
    CREATE UNIQUE INDEX invoice_number ON invoice(year, number_key);
    CREATE INDEX invoice_by_number ON invoice(number_key);
    CREATE INDEX invoice_by_client ON invoice(client_id, date);
    CREATE INDEX invoice_by_contract ON invoice(contract_id) WHERE contract_id IS NOT NULL;
    CREATE INDEX invoice_by_deal ON invoice(deal_id) WHERE deal_id IS NOT NULL;
    -- Open invoices by due day: the overdue list and reminders.
    CREATE INDEX invoice_open ON invoice(due_date) WHERE status = 'issued' AND paid < total;

    CREATE TABLE invoice_line (
      id INTEGER PRIMARY KEY,
      invoice_id INTEGER NOT NULL REFERENCES invoice(id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      item TEXT NOT NULL CHECK (length(item) > 0),
      unit TEXT NOT NULL DEFAULT '',
      quantity_milli INTEGER NOT NULL CHECK (quantity_milli > 0),
      price INTEGER NOT NULL CHECK (price >= 0),
      vat_rate INTEGER CHECK (vat_rate IN (0, 5, 7, 10, 20, 22)),
      sum INTEGER NOT NULL CHECK (sum >= 0)
    );
    CREATE INDEX invoice_line_by_invoice ON invoice_line(invoice_id, position);

    CREATE TABLE bank_import (
      id INTEGER PRIMARY KEY,
      at REAL NOT NULL,
      user_id INTEGER REFERENCES app_user(id),
      file TEXT NOT NULL,
      encoding TEXT NOT NULL,
      documents INTEGER NOT NULL,
      created INTEGER NOT NULL,
      matched INTEGER NOT NULL,
      queued INTEGER NOT NULL,
      skipped INTEGER NOT NULL
    );

    CREATE TABLE payment (
      id INTEGER PRIMARY KEY,
      -- NULL while a bank payment waits in the queue for a manager to assign it.
      client_id INTEGER REFERENCES client(id),
      contract_id INTEGER REFERENCES contract(id),
      source TEXT NOT NULL CHECK (source IN ('bank', 'cash')),
      -- Cash kept out of accounting: never exported, shown apart in reconciliation.
      management_only INTEGER NOT NULL DEFAULT 0 CHECK (management_only = 0 OR source = 'cash'),
      state TEXT NOT NULL DEFAULT 'assigned' CHECK (state IN ('assigned', 'queued', 'ignored')),
      date TEXT NOT NULL,
      amount INTEGER NOT NULL CHECK (amount > 0),
      currency TEXT NOT NULL DEFAULT 'RUB' CHECK (length(currency) = 3),
      number TEXT NOT NULL DEFAULT '',
      kind TEXT NOT NULL DEFAULT '',
      purpose TEXT NOT NULL DEFAULT '',
      payer_name TEXT NOT NULL DEFAULT '',
      payer_inn TEXT NOT NULL DEFAULT '',
      payer_kpp TEXT NOT NULL DEFAULT '',
      payer_account TEXT NOT NULL DEFAULT '',
      account TEXT NOT NULL DEFAULT '',
      -- A bank document's identity (payer ИНН, number, date, amount, our account): the same
      -- statement imported twice adds nothing.
      bank_key TEXT UNIQUE,
      import_id INTEGER REFERENCES bank_import(id),
      -- Why a queued payment was not matched, or how an imported one was.
      note TEXT NOT NULL DEFAULT '',
      author_id INTEGER REFERENCES app_user(id),
      created_at REAL NOT NULL,
      updated_at REAL NOT NULL,
      CHECK ((state = 'assigned') = (client_id IS NOT NULL)),
      CHECK (source = 'bank' OR bank_key IS NULL)
    );
    CREATE INDEX payment_by_client ON payment(client_id, date) WHERE client_id IS NOT NULL;
    CREATE INDEX payment_queue ON payment(date, id) WHERE state = 'queued';
    CREATE INDEX payment_by_date ON payment(date);

    CREATE TABLE allocation (
      id INTEGER PRIMARY KEY,
      payment_id INTEGER NOT NULL REFERENCES payment(id) ON DELETE CASCADE,
      invoice_id INTEGER NOT NULL REFERENCES invoice(id) ON DELETE CASCADE,
      amount INTEGER NOT NULL CHECK (amount > 0),
      UNIQUE (payment_id, invoice_id)
    );
    CREATE INDEX allocation_by_invoice ON allocation(invoice_id);
    CREATE TRIGGER allocation_added AFTER INSERT ON allocation BEGIN
      UPDATE invoice SET paid = paid + NEW.amount WHERE id = NEW.invoice_id;
    END;
    CREATE TRIGGER allocation_removed AFTER DELETE ON allocation BEGIN
      UPDATE invoice SET paid = paid - OLD.amount WHERE id = OLD.invoice_id;
    END;
    CREATE TRIGGER allocation_changed AFTER UPDATE OF amount, invoice_id ON allocation BEGIN
      UPDATE invoice SET paid = paid - OLD.amount WHERE id = OLD.invoice_id;
      UPDATE invoice SET paid = paid + NEW.amount WHERE id = NEW.invoice_id;
    END;

    CREATE TABLE act (
      id INTEGER PRIMARY KEY,
      client_id INTEGER NOT NULL REFERENCES client(id),
      contract_id INTEGER REFERENCES contract(id),
      invoice_id INTEGER REFERENCES invoice(id) ON DELETE SET NULL,
      number TEXT NOT NULL CHECK (length(number) > 0),
      number_key TEXT NOT NULL,
      date TEXT NOT NULL,
      year INTEGER NOT NULL GENERATED ALWAYS AS (CAST(substr(date, 1, 4) AS INTEGER)) VIRTUAL,
      period_from TEXT NOT NULL DEFAULT '',
      period_to TEXT NOT NULL DEFAULT '',
      currency TEXT NOT NULL DEFAULT 'RUB' CHECK (length(currency) = 3),
      rate TEXT,
      prices_include_vat INTEGER NOT NULL DEFAULT 1,
      status TEXT NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'cancelled')),
      total INTEGER NOT NULL DEFAULT 0 CHECK (total >= 0),
      vat INTEGER NOT NULL DEFAULT 0 CHECK (vat >= 0),
      notes TEXT NOT NULL DEFAULT '',
      -- The last export that carried this act (NULL: never exported).
      export_id INTEGER,
      author_id INTEGER REFERENCES app_user(id),
      created_at REAL NOT NULL,
      updated_at REAL NOT NULL
    );
    CREATE UNIQUE INDEX act_number ON act(year, number_key);
    CREATE INDEX act_by_client ON act(client_id, date);
    CREATE INDEX act_by_date ON act(date);
    CREATE INDEX act_by_contract ON act(contract_id) WHERE contract_id IS NOT NULL;

    CREATE TABLE act_line (
      id INTEGER PRIMARY KEY,
      act_id INTEGER NOT NULL REFERENCES act(id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      item TEXT NOT NULL CHECK (length(item) > 0),
      unit TEXT NOT NULL DEFAULT '',
      quantity_milli INTEGER NOT NULL CHECK (quantity_milli > 0),
      price INTEGER NOT NULL CHECK (price >= 0),
      vat_rate INTEGER CHECK (vat_rate IN (0, 5, 7, 10, 20, 22)),
      sum INTEGER NOT NULL CHECK (sum >= 0)
    );
    CREATE INDEX act_line_by_act ON act_line(act_id, position);

    -- Every export to accounting: what, when, which file; and the acts it carried with the
    -- number, date and sums they had then (reconciliation finds acts changed since).
    CREATE TABLE export_log (
      id INTEGER PRIMARY KEY,
      at REAL NOT NULL,
      user_id INTEGER REFERENCES app_user(id),
      what TEXT NOT NULL,
      format TEXT NOT NULL,
      file TEXT NOT NULL,
      period_from TEXT NOT NULL DEFAULT '',
      period_to TEXT NOT NULL DEFAULT '',
      items INTEGER NOT NULL
    );
    CREATE TABLE export_item (
      export_id INTEGER NOT NULL REFERENCES export_log(id) ON DELETE CASCADE,
      act_id INTEGER NOT NULL REFERENCES act(id) ON DELETE CASCADE,
      number TEXT NOT NULL,
      date TEXT NOT NULL,
      total INTEGER NOT NULL,
      vat INTEGER NOT NULL,
      PRIMARY KEY (export_id, act_id)
    );
    CREATE INDEX export_item_by_act ON export_item(act_id);

    -- change_set learns the money documents and their actions.
    CREATE TABLE change_set_v4 (
      id INTEGER PRIMARY KEY,
      at REAL NOT NULL,
      user_id INTEGER REFERENCES app_user(id),
      client_id INTEGER NOT NULL,
      entity TEXT NOT NULL CHECK (entity IN ('client', 'person', 'contact', 'deal', 'offer',
        'contract', 'invoice', 'payment', 'act')),
      entity_id INTEGER NOT NULL,
      action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'restore', 'done',
        'missed', 'postpone', 'cancel', 'reassign', 'handover', 'move', 'won', 'lost',
        'reopen', 'sent', 'issue', 'allocate', 'assign', 'export', 'import')),
      before_json TEXT,
      undo_of INTEGER REFERENCES change_set(id),
      undone_by INTEGER REFERENCES change_set(id)
    );
    INSERT INTO change_set_v4 SELECT * FROM change_set;
    DROP TABLE change_set;
    ALTER TABLE change_set_v4 RENAME TO change_set;
    CREATE INDEX change_by_user ON change_set(user_id, id);
    """

  /// The client base: duplicate keys (a folded, transliterated name without legal forms and
  /// quotes) on clients and persons, pairs marked "not a duplicate", merges with what they moved
  /// (for undo). Classification and import tables are in their own parts (`v5Classes`,
  /// `v5Import`), applied by the same migration.
  private static let v5 = """
    ALTER TABLE client ADD COLUMN match_key TEXT NOT NULL DEFAULT '';
    CREATE INDEX client_by_match_key ON client(match_key, id)
      WHERE match_key <> '' AND deleted_at IS NULL;
    ALTER TABLE contact_person ADD COLUMN match_key TEXT NOT NULL DEFAULT '';
    CREATE INDEX person_by_match_key ON contact_person(match_key, id)
      WHERE match_key <> '' AND deleted_at IS NULL;

    -- A pair somebody looked at and said is not the same client (or person); first_id < second_id.
    CREATE TABLE not_duplicate (
      id INTEGER PRIMARY KEY,
      entity TEXT NOT NULL CHECK (entity IN ('client', 'person')),
      first_id INTEGER NOT NULL,
      second_id INTEGER NOT NULL CHECK (first_id < second_id),
      user_id INTEGER REFERENCES app_user(id),
      at REAL NOT NULL,
      UNIQUE (entity, first_id, second_id)
    );

    -- One merge: the survivor kept, the other moved to the trash; `before_json` holds both as
    -- they were, `moved_json` the ids of every row re-pointed to the survivor, so undo can put
    -- each back.
    CREATE TABLE merge_log (
      id INTEGER PRIMARY KEY,
      entity TEXT NOT NULL CHECK (entity IN ('client', 'person')),
      survivor_id INTEGER NOT NULL,
      merged_id INTEGER NOT NULL,
      at REAL NOT NULL,
      user_id INTEGER REFERENCES app_user(id),
      before_json TEXT NOT NULL,
      moved_json TEXT NOT NULL,
      undone_at REAL
    );
    CREATE INDEX merge_by_survivor ON merge_log(entity, survivor_id);
    CREATE INDEX merge_by_merged ON merge_log(entity, merged_id);

    -- Undoing a large change deletes its audit rows by change.
    CREATE INDEX audit_by_change ON audit(change_id);

    -- change_set learns merges and bulk edits.
    CREATE TABLE change_set_v5 (
      id INTEGER PRIMARY KEY,
      at REAL NOT NULL,
      user_id INTEGER REFERENCES app_user(id),
      client_id INTEGER NOT NULL,
      entity TEXT NOT NULL CHECK (entity IN ('client', 'person', 'contact', 'deal', 'offer',
        'contract', 'invoice', 'payment', 'act')),
      entity_id INTEGER NOT NULL,
      action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'restore', 'done',
        'missed', 'postpone', 'cancel', 'reassign', 'handover', 'move', 'won', 'lost',
        'reopen', 'sent', 'issue', 'allocate', 'assign', 'export', 'import', 'merge',
        'unmerge', 'bulk', 'classify')),
      before_json TEXT,
      undo_of INTEGER REFERENCES change_set(id),
      undone_by INTEGER REFERENCES change_set(id)
    );
    INSERT INTO change_set_v5 SELECT * FROM change_set;
    DROP TABLE change_set;
    ALTER TABLE change_set_v5 RENAME TO change_set;
    CREATE INDEX change_by_user ON change_set(user_id, id);
    """
}
