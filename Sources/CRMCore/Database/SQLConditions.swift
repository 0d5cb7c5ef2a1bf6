import GRDB

/// The AND-ed terms of a filtered query's WHERE clause and the values of their `?`, in order: a
/// filter field that is not set adds no term.
struct SQLConditions {
  var terms: [String]
  var values: [any DatabaseValueConvertible] = []

  init(_ terms: [String] = []) { self.terms = terms }

  /// `term` with its one `?` bound to `value`; nothing when `value` is nil.
  mutating func add(_ term: String, _ value: (any DatabaseValueConvertible)?) {
    guard let value else { return }
    terms.append(term)
    values.append(value)
  }

  /// `term` with the values of its `?`.
  mutating func add(_ term: String, values more: [any DatabaseValueConvertible]) {
    terms.append(term)
    values += more
  }

  /// The terms joined with AND; `1` when there are none.
  var sql: String { terms.isEmpty ? "1" : terms.joined(separator: " AND ") }

  var arguments: StatementArguments { StatementArguments(values) }
}
