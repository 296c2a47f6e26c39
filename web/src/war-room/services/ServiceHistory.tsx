import { query } from "../../graphql-client";
import { Modal } from "../../shared/Modal";
import { type CatalogService, SERVICE_HISTORY_QUERY, VERIFY_SERVICE_HISTORY } from "../admin-queries";
import type { Catalog } from "../catalog";
import { ChangeHistory } from "../HistoryView";

/** A service's append-only change history, and a check of its hash chain. */
export function ServiceHistory({
  service,
  catalog,
  onClose,
}: {
  service: CatalogService;
  catalog: Catalog;
  onClose: () => void;
}) {
  return (
    <Modal title={`History of ${service.name}`} onClose={onClose} testId="service-history-dialog" wide>
      <ChangeHistory
        reloadKey={`${service.id}:${service.version}`}
        catalog={catalog}
        testId="service-history"
        recordTestIdPrefix="service-history-v"
        load={async () =>
          (
            await query(SERVICE_HISTORY_QUERY, {
              id: service.id,
            })
          ).service?.history ?? null
        }
        verify={async () =>
          (
            await query(VERIFY_SERVICE_HISTORY, {
              id: service.id,
            })
          ).verifyServiceHistory
        }
      />
    </Modal>
  );
}
