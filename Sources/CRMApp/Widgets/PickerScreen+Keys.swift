import CRMCore
import TerminalUI

extension PickerScreen {
  nonisolated static let keyTitle = (en: "Choose", ru: "Выбор")
  nonisolated static let keyGroups: [KeyGroup] = []
  nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind([.down, .up], .down, l.pick("next / previous", "следующий / предыдущий")),
      bind([.pageDown, .pageUp], .pageDown, l.pick("page down / up", "страница вниз / вверх")),
      bind([.enter], .open, l.pick("choose", "выбрать"), l.pick("choose", "выбрать")),
      SharedKeys.cancel(l),
      bind(
        [.ctrl("u")], .cancel,
        l.pick("letters filter the list; ^U clears", "буквы фильтруют список; ^U — очистить"),
        l.pick("clear", "очистить")),
    ]
  }
}
