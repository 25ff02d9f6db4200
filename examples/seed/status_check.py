from reelgate import video_status

# Check the status of a video generation
status_response = video_status(
    video_id="video_1234567890",
    model="openai/sora-2"
)

print(f"Video Status: {status_response.status}")
print(f"Created At: {status_response.created_at}")
print(f"Model: {status_response.model}")

# Possible status values:
# - "queued": Video is in the queue
# - "processing": Video is being generated
# - "completed": Video is ready for download
# - "failed": Video generation failed
