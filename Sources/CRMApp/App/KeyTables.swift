import CRMCore
import TerminalUI

/// The registry of the key tables. Each screen declares its table beside it
/// (`<Screen>+Keys.swift`, from the groups in `SharedKeys`); the same table drives dispatch,
/// the status-bar hints and `?` help, and this list, in its order, makes docs/keys.md.
public enum KeyTables {
  /// Every table, in the order of docs/keys.md.
  static func all(_ l: Language) -> [KeyTable<Action>] {
    [
      ClientsScreen.keyTable(l), ClientsScreen.searchKeyTable(l), ClientCardScreen.keyTable(l),
      RemindersScreen.keyTable(l), CalendarScreen.keyTable(l), FunnelScreen.keyTable(l),
      DealCardScreen.keyTable(l), OffersScreen.keyTable(l), OfferScreen.keyTable(l),
      KindPickerScreen.keyTable(l), BulkMenuScreen.keyTable(l),
      PickerScreen.keyTable(l), FormScreen.keyTable(l), PlaceholderScreen.keyTable(l),
      ActivityScreen.keyTable(l), ActivityDrillScreen.keyTable(l), ReportsScreen.keyTable(l),
      BankQueueScreen.keyTable(l), DuplicatesScreen.keyTable(l), MergeCompareScreen.keyTable(l),
      ReconciliationScreen.keyTable(l), InvoiceScreen.keyTable(l),
      PipelineEditorScreen.keyTable(l), ChoiceListScreen.keyTable(l), AuditScreen.keyTable(l),
      AuditDetailScreen.keyTable(l), TasksScreen.keyTable(l), CompanyScreen.keyTable(l),
      ConflictScreen.keyTable(l),
    ]
  }

  /// docs/keys.md: every table in both languages. A test fails when the file is stale.
  public static func markdown() -> String {
    var out = "# Keys\n\nGenerated from the key tables beside each screen "
    out += "(`Sources/CRMApp/<area>/<Screen>+Keys.swift`, shared groups in `App/SharedKeys.swift`) "
    out += "by `crm keys > docs/keys.md`; a test fails when this file is stale.\n"
    out += "Letters also work in the Russian ЙЦУКЕН layout (`о` = `j`, `д` = `l`, `.` = `/`).\n"
    for l in Language.allCases {
      out += "\n## \(l == .en ? "English" : "Русский")\n"
      for table in all(l) {
        out +=
          "\n### \(table.title)\n\n| \(l.pick("keys", "клавиши")) | \(l.pick("action", "действие")) |\n| --- | --- |\n"
        for binding in table.bindings {
          let keys = binding.keys.map { "`\($0.label == "`" ? "'`'" : $0.label)`" }.joined(
            separator: " ")
          out += "| \(keys) | \(binding.help) |\n"
        }
      }
    }
    return out
  }
}
