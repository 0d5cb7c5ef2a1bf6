import CRMCore
import TerminalUI

extension AuditScreen {
  public nonisolated static func keyTable(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Audit log", "Журнал изменений"),
      SharedKeys.common(l) + SharedKeys.movement(l) + [
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
      ])
  }
}

extension AuditDetailScreen {
  nonisolated static func keyTable(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Change", "Изменение"),
      SharedKeys.common(l) + SharedKeys.scroll(l) + [
        bind([.pageDown], .pageDown, l.pick("page down", "страница вниз")),
        bind([.pageUp], .pageUp, l.pick("page up", "страница вверх")),
        SharedKeys.clientCard("o", l),
        SharedKeys.back(l),
      ])
  }
}
