-- AlterTable
ALTER TABLE "Transfer" ADD COLUMN     "sca" TEXT NOT NULL DEFAULT 'NONE';

-- CreateTable
CREATE TABLE "RateLimiterFlexible" (
    "key" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "expire" TIMESTAMP(3),

    CONSTRAINT "RateLimiterFlexible_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "Transfer_userId_sca_createdAt_idx" ON "Transfer"("userId", "sca", "createdAt");
