import CRMCore
import TerminalUI

extension BulkMenuScreen {
  nonisolated static let keyTitle = (en: "Bulk change", ru: "Массовое изменение")
  nonisolated static let keyGroups: [KeyGroup] = []
  nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    BulkMenuScreen.choices.map { c in bind([.char(c.key)], .bulk, c.name(l)) } + [
      SharedKeys.cancel(l)
    ]
  }
}
