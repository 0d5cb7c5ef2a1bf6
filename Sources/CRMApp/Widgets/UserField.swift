import CRMCore
import TerminalUI

extension FormScreen {
  /// The user a field names by login or by name («Анна», «смирнова»); nil after marking the
  /// field when nobody or several people fit (they are listed, so a second word settles it).
  func namedUser(_ text: String, field: String) -> User? {
    let typed = text.trimmingSpaces()
    do {
      switch try context.db.findUser(loginOrName: typed) {
      case .one(let u):
        return u
      case .none:
        form.setError(field, l.pick("no user «\(typed)»", "нет пользователя «\(typed)»"))
      case .several(let users):
        let names = users.prefix(4).map { "\($0.name.isEmpty ? $0.login : $0.name) (\($0.login))" }
        form.setError(
          field,
          l.pick("several fit: ", "подходят несколько: ") + names.joined(separator: ", ")
            + (users.count > 4 ? "…" : ""))
      }
    } catch {
      form.setError(field, error.message(l))
    }
    return nil
  }
}
