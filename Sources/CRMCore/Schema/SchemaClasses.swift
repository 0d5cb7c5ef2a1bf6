extension Schema {
  /// Segments by rule, completeness settings and ABC/XYZ snapshots (part of v5-client-base).
  /// The rules are in docs/classification.md.
  static let v5Classes = """
    -- The segment a rule last gave the client (NULL: never). The segment came from a rule while
    -- segment = segment_rule; any other non-empty segment was set by hand and `crm classify`
    -- leaves it alone. Hand edits need no bookkeeping: changing the segment is enough.
    ALTER TABLE client ADD COLUMN segment_rule TEXT;

    -- Segment rules, tried in `position` order; the first that holds gives the segment.
    -- `value` is kopecks for revenue, a count for payments and paying months.
    CREATE TABLE segment_rule (
      id INTEGER PRIMARY KEY,
      position INTEGER NOT NULL,
      segment TEXT NOT NULL CHECK (length(segment) > 0),
      metric TEXT NOT NULL CHECK (metric IN ('revenue', 'payments', 'months')),
      op TEXT NOT NULL CHECK (op IN ('>=', '<=', '=')),
      value INTEGER NOT NULL CHECK (value >= 0),
      months INTEGER NOT NULL DEFAULT 12 CHECK (months BETWEEN 1 AND 36),
      created_at REAL NOT NULL
    );

    -- Revenue by client and day without touching the payment rows: the classification and the
    -- segments report read only this index, in client order.
    CREATE INDEX payment_revenue ON payment(client_id, date, amount)
      WHERE state = 'assigned' AND currency = 'RUB';

    -- One ABC/XYZ run: a dated snapshot with the settings it used.
    CREATE TABLE class_run (
      id INTEGER PRIMARY KEY,
      -- The snapshot date, yyyy-mm-dd; one snapshot per date (a new run replaces it).
      at TEXT NOT NULL UNIQUE,
      months INTEGER NOT NULL,
      -- The period: payments dated after `period_from` up to `at` inclusive.
      period_from TEXT NOT NULL,
      share_a REAL NOT NULL,
      share_b REAL NOT NULL,
      cv_x REAL NOT NULL,
      cv_y REAL NOT NULL,
      clients INTEGER NOT NULL,
      revenue INTEGER NOT NULL,
      -- Payments of the period in other currencies, left out of revenue.
      foreign_payments INTEGER NOT NULL DEFAULT 0,
      segments_changed INTEGER NOT NULL DEFAULT 0,
      user_id INTEGER REFERENCES app_user(id),
      created_at REAL NOT NULL
    );

    -- Every live client of a run: its ABC class ('' without revenue), its XYZ class, the
    -- period's revenue (kopecks, roubles only), paying months, months counted and the CV.
    CREATE TABLE client_class (
      id INTEGER PRIMARY KEY,
      run_id INTEGER NOT NULL REFERENCES class_run(id) ON DELETE CASCADE,
      client_id INTEGER NOT NULL,
      abc TEXT NOT NULL CHECK (abc IN ('A', 'B', 'C', '')),
      xyz TEXT NOT NULL CHECK (xyz IN ('potential', 'one-off', 'X', 'Y', 'Z')),
      revenue INTEGER NOT NULL,
      paying_months INTEGER NOT NULL,
      months INTEGER NOT NULL,
      cv REAL
    );
    CREATE UNIQUE INDEX client_class_by_run ON client_class(run_id, client_id);
    CREATE INDEX client_class_by_client ON client_class(client_id, run_id);
    """
}
