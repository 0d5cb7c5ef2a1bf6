import GRDB

/// What a person typed to name a user: a login, or a name or part of one («Анна», «смирнова»,
/// «анна смир»).
public enum UserMatch: Equatable, Sendable {
  case none
  case one(User)
  /// Several users fit the name (best first); the caller asks for more.
  case several([User])
}

extension CRMDatabase {
  /// Finds the user `text` names: first a login (exact, then case- and ё-insensitive), else the
  /// users whose name has, for every typed word, a word starting with it. Inactive users are
  /// found too (a filter by a departed manager's clients is legitimate); active ones come first.
  public func findUser(loginOrName text: String) throws(CRMError) -> UserMatch {
    let typed = TextFold.sanitizeLine(text).trimmingSpaces()
    guard !typed.isEmpty else { return .none }
    if let exact = try findUser(login: typed) { return .one(exact) }
    let users = try read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM app_user ORDER BY active DESC, name, login")
        .map(User.init(row:))
    }
    let key = TextFold.key(typed)
    let byLogin = users.filter { TextFold.key($0.login) == key }
    if byLogin.count == 1 { return .one(byLogin[0]) }
    let words = TextFold.words(typed)
    guard !words.isEmpty else { return .none }
    let fits = users.filter { u in
      let names = TextFold.words(u.name)
      return words.allSatisfy { w in names.contains { $0.hasPrefix(w) } }
    }
    // A whole name typed out wins over names it is only the start of («Анна» vs «Анна-Мария»).
    let whole = fits.filter { TextFold.words($0.name) == words }
    if whole.count == 1 { return .one(whole[0]) }
    switch fits.count {
    case 0: return .none
    case 1: return .one(fits[0])
    default:
      let active = fits.filter(\.active)
      return active.count == 1 ? .one(active[0]) : .several(fits)
    }
  }
}
