import CRMCore
import TerminalUI

extension ChoiceListScreen {
  nonisolated static let keyTitle = (en: "List", ru: "Список")
  nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind(
        [.char("e")], .edit, l.pick("rename the entry", "переименовать"),
        l.pick("rename", "имя")),
      bind([.enter], .edit, l.pick("rename the entry", "переименовать")),
      bind(
        [.char("a")], .add,
        l.pick("add an entry after the selected one", "добавить после выбранного"),
        l.pick("add", "добавить")),
      bind(
        [.char("d")], .delete,
        l.pick("delete the entry (asks first)", "удалить (с подтверждением)"),
        l.pick("delete", "удалить")),
      bind(
        [.char("J"), .char("K")], .reorder, l.pick("move down / up", "переместить ниже / выше"),
        l.pick("move", "порядок")),
      SharedKeys.back(l),
    ]
  }
}
