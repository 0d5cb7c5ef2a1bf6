extension Schema {
  /// Import batches and what each created or changed, for `crm import undo` (part of
  /// v5-client-base).
  static let v5Import = ""
}
