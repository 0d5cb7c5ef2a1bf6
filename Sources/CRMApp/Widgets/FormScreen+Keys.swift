import CRMCore
import TerminalUI

extension FormScreen {
  nonisolated static let keyTitle = (en: "Form", ru: "Форма")
  nonisolated static let keyGroups: [KeyGroup] = []
  nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind(
        [.tab, .down], .down, l.pick("next field", "следующее поле"), l.pick("next", "далее")),
      bind([.backTab, .up], .up, l.pick("previous field", "предыдущее поле")),
      bind(
        [.enter], .down,
        l.pick("next field; saves on the last", "следующее поле; на последнем — сохранить")),
      bind(
        [.ctrl("s"), .function(2)], .save, l.pick("save", "сохранить"),
        l.pick("save", "сохранить")),
      SharedKeys.cancel(l),
      bind(
        [.ctrl("u")], .cancel,
        l.pick("delete to the start of the field", "стереть до начала поля")),
      bind(
        [.function(4), .ctrl("o")], .choose,
        l.pick(
          "choose from the field's list (a contact's outcome); your own text stays possible",
          "выбрать из списка поля (результат контакта); свой текст тоже можно")),
    ]
  }
}
