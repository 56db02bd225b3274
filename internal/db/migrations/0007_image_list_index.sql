-- Image lists are ordered by created_at, id (Glance's default sort): this
-- index lets a first page stop after the rows it needs.
CREATE INDEX image_images_created ON image_images (created_at, id);
