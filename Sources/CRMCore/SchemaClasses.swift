extension Schema {
  /// Segments by rule, completeness settings and ABC/XYZ snapshots (part of v5-client-base).
  static let v5Classes = ""
}
