extension Schema {
  /// Migration v9-outcomes-discounts: the choice lists learn `outcome` (what usually comes of a
  /// contact, offered when one is logged; the migration seeds the standard list), and an
  /// offer's lines learn discounts. A discount line is a line of its own: quantity one, a
  /// negative price and sum; `percent` (hundredths of a percent) makes it a share of the lines
  /// above it at its VAT rate, which the core recomputes whenever the lines change. Both
  /// tables are rebuilt (SQLite cannot change a CHECK); nothing refers to them.
  static let v9 = """
    CREATE TABLE choice_v8 (
      id INTEGER PRIMARY KEY,
      list TEXT NOT NULL CHECK (list IN ('lead_source', 'lost_reason', 'outcome')),
      key TEXT NOT NULL,
      name TEXT NOT NULL,
      name_en TEXT NOT NULL DEFAULT '',
      position INTEGER NOT NULL,
      UNIQUE (list, key)
    );
    INSERT INTO choice_v8 (id, list, key, name, name_en, position)
      SELECT id, list, key, name, name_en, position FROM choice;
    DROP TABLE choice;
    ALTER TABLE choice_v8 RENAME TO choice;

    CREATE TABLE offer_line_v8 (
      id INTEGER PRIMARY KEY,
      offer_id INTEGER NOT NULL REFERENCES offer(id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      item TEXT NOT NULL CHECK (length(item) > 0),
      unit TEXT NOT NULL DEFAULT '',
      -- Quantity in thousandths (1.5 pcs = 1500), price in minor units; VAT rate in percent,
      -- NULL for "without VAT".
      quantity_milli INTEGER NOT NULL CHECK (quantity_milli > 0),
      price INTEGER NOT NULL,
      vat_rate INTEGER CHECK (vat_rate IN (0, 5, 7, 10, 20, 22)),
      sum INTEGER NOT NULL,
      -- A discount in hundredths of a percent of the lines above at the same VAT rate; NULL
      -- for a goods line or a discount of a fixed amount.
      percent INTEGER CHECK (percent BETWEEN 1 AND 10000),
      -- Goods: price and sum not negative. Discounts: one of them, price = sum <= 0.
      CHECK ((percent IS NULL AND price >= 0 AND sum >= 0)
        OR (quantity_milli = 1000 AND price <= 0 AND sum = price))
    );
    INSERT INTO offer_line_v8 (id, offer_id, position, item, unit, quantity_milli, price,
        vat_rate, sum)
      SELECT id, offer_id, position, item, unit, quantity_milli, price, vat_rate, sum
      FROM offer_line;
    DROP TABLE offer_line;
    ALTER TABLE offer_line_v8 RENAME TO offer_line;
    CREATE INDEX offer_line_by_offer ON offer_line(offer_id, position);
    """
}
