extension Schema {
  /// Migration v10-mail-attachments: files kept with clients and deals, and mail logged as
  /// contacts.
  ///
  /// - `blob`: file contents addressed by their SHA-256 (lower-case hex), stored once however
  ///   many attachments name them, inside the database so backups and restores carry them.
  /// - `attachment`: a named file on a client or a deal (or both), optionally the contact (an
  ///   e-mail) it came with.
  /// - `mail_message`: an e-mail sent or received, logged as an `email` contact of a client;
  ///   the same Message-ID may be logged once per client it concerns.
  /// - `maildir_entry`: the Maildir files already read by `crm mail sync`, keyed by the unique
  ///   part of the file name (before `:2,`), so re-runs read only new files.
  static let v10 = """
    CREATE TABLE blob (
      sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
      size INTEGER NOT NULL CHECK (size >= 0),
      data BLOB NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE attachment (
      id INTEGER PRIMARY KEY,
      client_id INTEGER REFERENCES client(id) ON DELETE CASCADE,
      deal_id INTEGER REFERENCES deal(id) ON DELETE CASCADE,
      contact_id INTEGER REFERENCES contact(id) ON DELETE SET NULL,
      name TEXT NOT NULL CHECK (length(name) > 0),
      mime TEXT NOT NULL DEFAULT 'application/octet-stream',
      sha256 TEXT NOT NULL REFERENCES blob(sha256),
      size INTEGER NOT NULL CHECK (size >= 0),
      user_id INTEGER NOT NULL REFERENCES app_user(id),
      created_at REAL NOT NULL,
      CHECK (client_id IS NOT NULL OR deal_id IS NOT NULL)
    );
    CREATE INDEX attachment_by_client ON attachment(client_id, id) WHERE client_id IS NOT NULL;
    CREATE INDEX attachment_by_deal ON attachment(deal_id, id) WHERE deal_id IS NOT NULL;
    CREATE INDEX attachment_by_blob ON attachment(sha256);
    CREATE INDEX attachment_by_contact ON attachment(contact_id) WHERE contact_id IS NOT NULL;

    CREATE TABLE mail_message (
      id INTEGER PRIMARY KEY,
      contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
      client_id INTEGER NOT NULL REFERENCES client(id) ON DELETE CASCADE,
      message_id TEXT NOT NULL CHECK (length(message_id) > 0),
      in_reply_to TEXT NOT NULL DEFAULT '',
      direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
      sent_at REAL NOT NULL,
      from_addr TEXT NOT NULL DEFAULT '',
      to_addrs TEXT NOT NULL DEFAULT '',
      subject TEXT NOT NULL DEFAULT '',
      body TEXT NOT NULL DEFAULT '',
      attachment_names TEXT NOT NULL DEFAULT '',
      UNIQUE (message_id, client_id)
    );
    CREATE INDEX mail_by_client ON mail_message(client_id, sent_at);
    CREATE INDEX mail_by_contact ON mail_message(contact_id);

    CREATE TABLE maildir_entry (
      key TEXT PRIMARY KEY,
      message_id TEXT NOT NULL DEFAULT ''
    ) WITHOUT ROWID;
    """
}
