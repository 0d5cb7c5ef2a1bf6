extension Schema {
  /// Import batches and what each created or changed, for `crm import undo` (part of
  /// v5-client-base).
  static let v5Import = """
    -- One run of `crm import`: what was read, by whom, with what result. `change_id` is the
    -- change_set row (action 'import') the clients' history points to; undone_at is set once.
    CREATE TABLE import_batch (
      id INTEGER PRIMARY KEY,
      at REAL NOT NULL,
      user_id INTEGER REFERENCES app_user(id),
      format TEXT NOT NULL CHECK (format IN ('csv', 'vcard', 'json')),
      file_name TEXT NOT NULL DEFAULT '',
      on_duplicate TEXT NOT NULL CHECK (on_duplicate IN ('skip', 'update', 'create')),
      rows INTEGER NOT NULL DEFAULT 0,
      created INTEGER NOT NULL DEFAULT 0,
      updated INTEGER NOT NULL DEFAULT 0,
      duplicates INTEGER NOT NULL DEFAULT 0,
      rejected INTEGER NOT NULL DEFAULT 0,
      change_id INTEGER REFERENCES change_set(id),
      undone_at REAL,
      undone_by INTEGER REFERENCES app_user(id)
    );

    -- What one batch did to one client: 'created' (before_json NULL), 'updated' (before_json:
    -- the client as it was), or 'person' (a contact person added to an existing client).
    CREATE TABLE import_item (
      id INTEGER PRIMARY KEY,
      batch_id INTEGER NOT NULL REFERENCES import_batch(id) ON DELETE CASCADE,
      client_id INTEGER NOT NULL,
      person_id INTEGER,
      action TEXT NOT NULL CHECK (action IN ('created', 'updated', 'person')),
      before_json TEXT
    );
    CREATE INDEX import_item_by_batch ON import_item(batch_id, id);
    """
}
