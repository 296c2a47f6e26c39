import type { Service } from "./service.entity";

/** A service as the public sees it (status page, public events): an allow-list of fields. */
export interface PublicServiceView {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  group: string | null;
  position: number;
  status: Service["status"];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export const publicService = (s: Service): PublicServiceView => ({
  id: s.id,
  slug: s.slug,
  name: s.name,
  description: s.description,
  group: s.group,
  position: s.position,
  status: s.status,
  version: s.version,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
});
