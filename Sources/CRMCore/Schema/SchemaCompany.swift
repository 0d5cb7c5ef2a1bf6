import GRDB

extension Schema {
  /// Migration v11-legal-entities: our own legal entities (ООО, ИП) with their requisites, and
  /// which one each offer, contract, invoice and act comes from.
  ///
  /// - `legal_entity`: names, state numbers, addresses, the bank account, who signs, contacts,
  ///   the company's own wording of the forms' free-text parts; images (logo, stamp,
  ///   signatures) are PNGs in the content-addressed `blob` table of v10. At most one is the
  ///   default (`is_default = 1`): documents that name none come from it.
  /// - `offer`, `contract`, `invoice`, `act` get `legal_entity_id` (NULL: the default entity).
  ///
  /// The settings `company_name`, `company_inn` and `company_kpp` become the first entity.
  static let v11 = """
    CREATE TABLE legal_entity (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL DEFAULT 'organization'
        CHECK (kind IN ('organization', 'entrepreneur')),
      full_name TEXT NOT NULL DEFAULT '',
      short_name TEXT NOT NULL DEFAULT '',
      inn TEXT NOT NULL DEFAULT '',
      kpp TEXT NOT NULL DEFAULT '',
      ogrn TEXT NOT NULL DEFAULT '',
      legal_address TEXT NOT NULL DEFAULT '',
      postal_address TEXT NOT NULL DEFAULT '',
      bank_name TEXT NOT NULL DEFAULT '',
      bik TEXT NOT NULL DEFAULT '',
      corr_account TEXT NOT NULL DEFAULT '',
      account TEXT NOT NULL DEFAULT '',
      director_title TEXT NOT NULL DEFAULT '',
      director_name TEXT NOT NULL DEFAULT '',
      accountant_title TEXT NOT NULL DEFAULT '',
      accountant_name TEXT NOT NULL DEFAULT '',
      phone TEXT NOT NULL DEFAULT '',
      email TEXT NOT NULL DEFAULT '',
      site TEXT NOT NULL DEFAULT '',
      logo_sha256 TEXT REFERENCES blob(sha256),
      stamp_sha256 TEXT REFERENCES blob(sha256),
      director_signature_sha256 TEXT REFERENCES blob(sha256),
      accountant_signature_sha256 TEXT REFERENCES blob(sha256),
      invoice_footer TEXT NOT NULL DEFAULT '',
      offer_intro TEXT NOT NULL DEFAULT '',
      offer_terms TEXT NOT NULL DEFAULT '',
      act_statement TEXT NOT NULL DEFAULT '',
      is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
      created_at REAL NOT NULL,
      updated_at REAL NOT NULL
    );
    CREATE UNIQUE INDEX legal_entity_one_default ON legal_entity(is_default) WHERE is_default = 1;

    ALTER TABLE offer ADD COLUMN legal_entity_id INTEGER REFERENCES legal_entity(id);
    ALTER TABLE contract ADD COLUMN legal_entity_id INTEGER REFERENCES legal_entity(id);
    ALTER TABLE invoice ADD COLUMN legal_entity_id INTEGER REFERENCES legal_entity(id);
    ALTER TABLE act ADD COLUMN legal_entity_id INTEGER REFERENCES legal_entity(id);
    CREATE INDEX offer_by_entity ON offer(legal_entity_id) WHERE legal_entity_id IS NOT NULL;
    CREATE INDEX contract_by_entity ON contract(legal_entity_id)
      WHERE legal_entity_id IS NOT NULL;
    CREATE INDEX invoice_by_entity ON invoice(legal_entity_id) WHERE legal_entity_id IS NOT NULL;
    CREATE INDEX act_by_entity ON act(legal_entity_id) WHERE legal_entity_id IS NOT NULL;

    INSERT INTO legal_entity (kind, full_name, short_name, inn, kpp, is_default, created_at,
      updated_at)
    SELECT CASE WHEN length(coalesce(i.value, '')) = 12 THEN 'entrepreneur' ELSE 'organization' END,
      n.value, n.value, coalesce(i.value, ''),
      CASE WHEN length(coalesce(i.value, '')) = 12 THEN '' ELSE coalesce(k.value, '') END,
      1, (julianday('now') - 2440587.5) * 86400.0, (julianday('now') - 2440587.5) * 86400.0
    FROM setting n
    LEFT JOIN setting i ON i.key = 'company_inn'
    LEFT JOIN setting k ON k.key = 'company_kpp'
    WHERE n.key = 'company_name' AND trim(n.value) <> '';
    """
}
