import CRMCore
import TerminalUI

extension KindPickerScreen {
  nonisolated static let keyTitle = (en: "Kind of contact", ru: "Вид контакта")
  nonisolated static let keyGroups: [KeyGroup] = []
  nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    ContactKind.allCases.map { k in bind([.char(k.key)], .log, k.name(l)) } + [
      SharedKeys.cancel(l)
    ]
  }
}
