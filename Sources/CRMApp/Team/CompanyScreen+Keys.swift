import CRMCore
import TerminalUI

extension CompanyScreen {
  /// Our legal entities and their requisites (`r` from the activity screen); changes are for
  /// admins.
  public nonisolated static let keyTitle = (en: "Our requisites", ru: "Наши реквизиты")
  public nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind(
        [.enter, .char("e")], .edit,
        l.pick("edit the requisites (admin)", "изменить реквизиты (администратор)"),
        l.pick("edit", "изменить")),
      bind(
        [.char("n")], .add, l.pick("add a legal entity (admin)", "добавить юрлицо (администратор)"),
        l.pick("new", "новое")),
      bind(
        [.char("d")], .makeDefault,
        l.pick(
          "make it the default: documents come from it (admin)",
          "сделать основным: документы выписываются от него (администратор)"),
        l.pick("default", "основное")),
      bind(
        [.char("x")], .delete,
        l.pick(
          "remove an entity no document comes from (asks first)",
          "удалить юрлицо, от которого нет документов (с подтверждением)")),
      SharedKeys.back(l),
    ]
  }
}
