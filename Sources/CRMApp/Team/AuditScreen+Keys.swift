import CRMCore
import TerminalUI

extension AuditScreen {
  public nonisolated static let keyTitle = (en: "Audit log", ru: "Журнал изменений")
  public nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind(
        [.enter], .open, l.pick("every field of the change", "все поля изменения"),
        l.pick("details", "подробно")),
      bind(
        [.char("u")], .pickUser, l.pick("whose changes", "чьи изменения"), l.pick("user", "кто")),
      bind(
        [.char("e")], .pickEntity,
        l.pick("changes of what: client, deal…", "чего: клиент, сделка…"),
        l.pick("entity", "что")),
      bind(
        [.char("p")], .periodLength,
        l.pick("period: today, week, month, all", "период: день, неделя, месяц, всё"),
        l.pick("period", "период")),
    ] + SharedKeys.periods(l) + [
      bind(
        [.char("c")], .clearFilters, l.pick("clear the filters", "сбросить фильтры"),
        l.pick("clear", "сброс")),
      SharedKeys.clientCard("o", l),
      SharedKeys.back(l),
    ]
  }
}

extension AuditDetailScreen {
  nonisolated static let keyTitle = (en: "Change", ru: "Изменение")
  nonisolated static let keyGroups: [KeyGroup] = [.common, .scroll]
  nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind([.pageDown], .pageDown, l.pick("page down", "страница вниз")),
      bind([.pageUp], .pageUp, l.pick("page up", "страница вверх")),
      SharedKeys.clientCard("o", l),
      SharedKeys.back(l),
    ]
  }
}
